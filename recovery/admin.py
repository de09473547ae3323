"""Admin: cases are read-only here (they change through `recovery.services`); managers'
settings, playbooks, root causes and coaching notes are edited here as on their pages."""

from django.contrib import admin

from recovery.forms import DetectorSettingsForm
from recovery.models import (
    ApprovalLimit,
    CaseStep,
    CoachingNote,
    CompensationApproval,
    CompensationIssue,
    CompensationRule,
    DetectorSettings,
    Playbook,
    PlaybookStep,
    RecoveryCase,
    RecoveryCaseEvent,
    RecoverySignal,
    RootCause,
    RootCauseCategory,
    TeamBudget,
)


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


class CaseStepInline(ReadOnlyInline):
    model = CaseStep
    fields = ["position", "title", "completed_at", "completed_by"]
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
    inlines = [CaseStepInline, SignalInline, EventInline]
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


@admin.register(DetectorSettings)
class DetectorSettingsAdmin(admin.ModelAdmin):
    """The one row of thresholds; the manager page edits the same row."""

    form = DetectorSettingsForm
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return not DetectorSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        from django.utils import timezone

        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class PlaybookStepInline(admin.TabularInline):
    model = PlaybookStep
    fields = ["position", "kind", "title", "guidance"]
    extra = 1
    ordering = ["position", "id"]


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["name", "situation", "is_active", "updated_at"]
    list_filter = ["is_active"]
    inlines = [PlaybookStepInline]


class RootCauseInline(admin.TabularInline):
    model = RootCause
    fields = ["name", "position", "is_active"]
    extra = 1


@admin.register(RootCauseCategory)
class RootCauseCategoryAdmin(admin.ModelAdmin):
    """The five areas are fixed (shipped by a migration); their sub-causes are edited here."""

    list_display = ["name", "key", "position"]
    readonly_fields = ["key"]
    inlines = [RootCauseInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CoachingNote)
class CoachingNoteAdmin(admin.ModelAdmin):
    list_display = ["agent", "case", "author", "created_at"]
    list_select_related = ["agent", "case", "author"]
    search_fields = ["agent__email", "=case__id"]
    readonly_fields = ["agent", "case", "author", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False  # written on the case page, by a team lead or manager


class ManagersEditMixin:
    """Compensation policy is the managers' (and admins') to change: other staff with
    admin access read it only, so nobody raises their own limit."""

    def _is_manager(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_manager)

    def has_add_permission(self, request, *args) -> bool:
        return self._is_manager(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_manager(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_manager(request) and super().has_delete_permission(request, obj)


@admin.register(CompensationRule)
class CompensationRuleAdmin(ManagersEditMixin, admin.ModelAdmin):
    list_display = [
        "failure_type",
        "severity_band",
        "tier",
        "kind",
        "amount",
        "currency",
        "position",
        "is_active",
    ]
    list_filter = ["failure_type", "kind", "is_active"]
    list_editable = ["position", "is_active"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change) -> None:
        from django.utils import timezone

        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApprovalLimit)
class ApprovalLimitAdmin(ManagersEditMixin, admin.ModelAdmin):
    list_display = ["role", "amount", "updated_at"]
    readonly_fields = ["updated_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Approvals and issued compensation change only through `recovery.services`,
    where the limits hold; the admin shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CompensationApproval)
class CompensationApprovalAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "amount", "currency", "status", "requested_by", "decided_by"]
    list_filter = ["status", "kind"]


@admin.register(CompensationIssue)
class CompensationIssueAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "amount", "currency", "issued_by", "approved_by", "created_at"]
    list_filter = ["kind"]
    exclude = ["voucher_code"]  # a usable code is not shown to every admin user


@admin.register(TeamBudget)
class TeamBudgetAdmin(ManagersEditMixin, admin.ModelAdmin):
    list_display = ["team", "month", "amount", "spent", "currency"]
    list_filter = ["team"]
    readonly_fields = ["spent"]  # charged by issuing, never typed in
