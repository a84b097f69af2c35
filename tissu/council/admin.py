"""Admin for the council's configuration and meetings. Ballots and participations are deliberately absent:
nobody edits the ballot box."""

from django.contrib import admin

from tissu.council.models import College, Consultation, Election, Meeting, WorkingGroup


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["name", "seats", "substitute_seats", "position"]


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["title", "voting_opens_at", "voting_closes_at", "counted_at"]
    readonly_fields = ["tie_break", "tie_break_seed", "roll_published_at", "counted_at", "counted_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "minutes_status"]
    list_filter = ["kind", "minutes_status"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "answer_due_on", "published_at"]
