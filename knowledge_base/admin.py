from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from helpdesk.errors import ApplicationError
from knowledge_base import services
from knowledge_base.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleRevision,
    Category,
    DeflectionSession,
    KnowledgeGap,
    Section,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["name", "slug", "position", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "slug", "position"]
    list_filter = ["category"]
    list_select_related = ["category"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "category__name"]


class AttachmentInline(admin.TabularInline):
    """Files go in through the service (server-made names, type and size checks)."""

    model = ArticleAttachment
    extra = 1
    fields = ["file", "link", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = ["link", "content_type", "size", "uploaded_by", "created_at"]

    @admin.display(description=_("link"))
    def link(self, obj: ArticleAttachment) -> str:
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.filename)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # replace a file by removing it and adding the new one


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    extra = 0
    max_num = 0
    fields = ["number", "created_at", "author", "note", "diff"]
    readonly_fields = fields
    ordering = ["-number"]
    can_delete = False
    show_change_link = False

    @admin.display(description=_("changes"))
    def diff(self, obj: ArticleRevision) -> str:
        url = reverse("kb:revision_diff", kwargs={"slug": obj.article.slug, "number": obj.number})
        return format_html('<a href="{}">{}</a>', url, _("Show changes"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "article")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "section",
        "language",
        "status",
        "internal",
        "view_count",
        "updated_at",
    ]
    list_filter = ["status", "internal", "language", "category"]
    list_select_related = ["category", "section"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["translation_of", "related"]
    readonly_fields = ["author", "view_count", "created_at", "updated_at", "published_at"]
    date_hierarchy = "updated_at"
    inlines = [AttachmentInline, RevisionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "category",
                    "section",
                    "language",
                    "translation_of",
                    "summary",
                    "body",
                    "tags",
                    "related",
                ]
            },
        ),
        (_("Publishing"), {"fields": ["status", "internal", "author", "published_at"]}),
        (_("History"), {"fields": ["view_count", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The same service as every other writer: stamps dates, checks fields, keeps revisions.
        services.article_save(
            actor=request.user, article=obj, changed=form.changed_data if change else None
        )

    def save_related(self, request, form, formsets, change):
        article = form.instance
        services.article_set_related(
            actor=request.user, article=article, related=form.cleaned_data.get("related", [])
        )
        for formset in formsets:
            if formset.model is not ArticleAttachment:
                formset.save()
                continue
            # What the admin's change message reads, as formset.save() would have set.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for removed in formset.deleted_forms:
                if removed.instance.pk:
                    services.article_attachment_delete(
                        actor=request.user, attachment=removed.instance
                    )
                    formset.deleted_objects.append(removed.instance)
            for added in formset.extra_forms:
                upload = added.cleaned_data.get("file") if added.has_changed() else None
                if not upload or added in formset.deleted_forms:
                    continue
                try:
                    formset.new_objects.append(
                        services.article_attachment_add(
                            actor=request.user, article=article, upload=upload
                        )
                    )
                except ApplicationError as error:
                    self.message_user(request, error.message, level=messages.ERROR)


@admin.register(KnowledgeGap)
class KnowledgeGapAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "count", "last_seen", "first_seen"]
    list_filter = ["language"]
    search_fields = ["query"]
    readonly_fields = ["query", "language", "count", "first_seen", "last_seen"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ["article", "helpful", "comment", "user", "updated_at"]
    list_filter = ["helpful"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title", "comment"]
    readonly_fields = ["article", "helpful", "comment", "user", "created_at", "updated_at"]
    exclude = ["session_key"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeflectionSession)
class DeflectionSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "query", "opened_article", "deflected", "filed_at", "created_at"]
    list_filter = ["deflected"]
    list_select_related = ["user", "opened_article"]
    exclude = ["token"]
    readonly_fields = [
        "user",
        "query",
        "language",
        "suggested",
        "opened_article",
        "opened_at",
        "left_at",
        "filed_at",
        "deflected",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
