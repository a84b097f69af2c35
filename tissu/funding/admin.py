from django.contrib import admin

from tissu.funding.models import AidScheme, CallForProjects, GrantApplication, MultiYearAgreement


@admin.register(AidScheme)
class AidSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "funder_name", "applications_in_tissu", "is_active"]


@admin.register(CallForProjects)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "scheme", "opens_at", "closes_at"]


@admin.register(GrantApplication)
class GrantApplicationAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services, which audit it and keep the versions."""

    list_display = ["reference", "association", "status", "amount_requested", "decided_amount"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(MultiYearAgreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "association", "start_year", "end_year"]

    def has_change_permission(self, request, obj=None):
        return False
