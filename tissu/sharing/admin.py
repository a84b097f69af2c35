from django.contrib import admin

from tissu.sharing.models import ExpertProfile, HelpRecord, HelpRequest, Item, Listing, Loan, PickupSlot


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "category", "quantity", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["owner", "created_by"]
    filter_horizontal = ["allowed_borrowers"]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["item", "borrower", "quantity", "start_date", "end_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["item", "borrower", "requested_by"]


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "association", "kind", "status", "expires_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["association", "created_by"]


@admin.register(PickupSlot)
class PickupSlotAdmin(admin.ModelAdmin):
    list_display = ["item", "weekday", "start_time", "end_time", "capacity"]
    raw_id_fields = ["item"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "is_available", "updated_at"]
    list_filter = ["kind", "is_available"]
    raw_id_fields = ["user", "association"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "association", "area", "format", "status", "created_at"]
    list_filter = ["area", "format", "status"]
    raw_id_fields = ["association", "created_by"]


@admin.register(HelpRecord)
class HelpRecordAdmin(admin.ModelAdmin):
    list_display = ["association", "area", "format", "expert_kind", "day", "hours"]
    list_filter = ["area", "format", "expert_kind"]
    raw_id_fields = ["association", "contact", "recorded_by"]
