from django.contrib import admin

from tissu.sharing.models import Item, Listing, Loan


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
