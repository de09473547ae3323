"""Read-mostly admin: cases change through `recovery.services` (API and pages), not here."""

from django.contrib import admin

from recovery.models import RecoveryCase, RecoveryCaseEvent, RecoverySignal


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SignalInline(ReadOnlyInline):
    model = RecoverySignal
    fields = ["created_at", "kind", "ticket", "source", "actor", "data"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = RecoveryCaseEvent
    fields = ["created_at", "type", "actor", "data"]
    readonly_fields = fields


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "severity",
        "failure_type",
        "status",
        "outcome",
        "customer",
        "ticket",
        "assigned_to",
        "detected_at",
    ]
    list_filter = ["status", "failure_type", "outcome"]
    search_fields = ["customer__email", "ticket__subject", "=id", "=ticket__id"]
    list_select_related = ["customer", "ticket", "assigned_to"]
    ordering = ["-severity", "detected_at"]
    date_hierarchy = "detected_at"
    inlines = [SignalInline, EventInline]
    readonly_fields = [
        field.name
        for field in RecoveryCase._meta.get_fields()
        if field.concrete and not field.many_to_many
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecoverySignal)
class RecoverySignalAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "case", "ticket", "source", "created_at"]
    list_filter = ["kind"]
    search_fields = ["source", "=case__id"]
    list_select_related = ["case", "ticket"]
    readonly_fields = ["case", "kind", "ticket", "source", "actor", "data", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
