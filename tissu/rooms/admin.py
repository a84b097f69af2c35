from django.contrib import admin

from tissu.rooms.models import Booking, Building, Campaign, Closure, Equipment, Room, SlotRequest

admin.site.register([Equipment, Building, Room, Closure, Campaign])


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["room", "association", "start", "end", "status"]
    list_filter = ["status"]
    raw_id_fields = ["association", "requested_by"]


@admin.register(SlotRequest)
class SlotRequestAdmin(admin.ModelAdmin):
    list_display = ["association", "activity", "campaign", "decision"]
    raw_id_fields = ["association", "submitted_by"]
