from django.contrib import admin

from surveys.models import Survey, SurveyQuestion, SurveyResponse


class SurveyResponseInline(admin.StackedInline):
    """Answers are the customer's words: shown, never edited here."""

    model = SurveyResponse
    can_delete = False
    extra = 0
    readonly_fields = ["kind", "score", "comment", "answered_at", "updated_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "ticket",
        "customer",
        "kind",
        "status",
        "origin",
        "scheduled_for",
        "sent_at",
        "reminded_at",
        "expires_at",
    ]
    list_filter = ["kind", "status", "origin"]
    list_select_related = ["ticket", "customer"]
    search_fields = ["customer__email", "ticket__subject"]
    date_hierarchy = "scheduled_for"
    inlines = [SurveyResponseInline]

    # Surveys change state only through surveys.services (scheduling, sending,
    # answering), so the admin site shows them without editing.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "survey", "kind", "score", "answered_at"]
    list_filter = ["kind", "score"]
    list_select_related = ["survey"]
    search_fields = ["comment", "survey__customer__email"]
    readonly_fields = ["survey", "kind", "score", "comment", "answered_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    """The wording customers read, per kind and language: staff edit it freely."""

    list_display = ["kind", "language", "question", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["question", "intro"]
    fields = ["kind", "language", "question", "intro", "low_label", "high_label", "comment_label"]
