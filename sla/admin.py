from django.contrib import admin

from sla.models import BusinessCalendar, ClosedDate, OpeningSpan, Policy, PolicyTarget, SlaTarget


class OpeningSpanInline(admin.TabularInline):
    model = OpeningSpan
    extra = 0


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "always_open", "holiday_country", "holiday_subdivision"]
    inlines = [OpeningSpanInline, ClosedDateInline]


class PolicyTargetInline(admin.TabularInline):
    model = PolicyTarget
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active", "is_default", "calendar", "warning_percent"]
    list_editable = ["position", "is_active"]
    list_select_related = ["calendar"]
    inlines = [PolicyTargetInline]


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["ticket", "kind", "state", "due_at", "breached_at", "overrun_seconds"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["ticket"]
    list_select_related = ["ticket"]

    def has_change_permission(self, request, obj=None):
        return False  # clocks move only through the engine

    def has_add_permission(self, request):
        return False
