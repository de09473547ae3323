from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from knowledge_base import services
from knowledge_base.models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "language",
        "status",
        "internal",
        "view_count",
        "updated_at",
    ]
    list_filter = ["status", "internal", "language", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["author", "view_count", "created_at", "updated_at", "published_at"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "language", "summary", "body", "tags"]}),
        (_("Publishing"), {"fields": ["status", "internal", "author", "published_at"]}),
        (_("History"), {"fields": ["view_count", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The same service as every other writer: stamps dates, checks fields.
        services.article_save(
            actor=request.user, article=obj, changed=form.changed_data if change else None
        )
