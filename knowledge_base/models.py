"""Knowledge-base categories and articles.

Bodies are Markdown; `body_html` renders and sanitises on read, so what is
stored is always what the author wrote. Every write goes through
`knowledge_base.services`; `save()` has no side effects.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from knowledge_base import text


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for lists and search engines. Optional."),
    )
    body = models.TextField(_("body"), help_text=_("Markdown."))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Only agents can read internal articles.")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kb_articles",
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="kb_article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values), name="kb_article_status_valid"
            ),
        ]
        indexes = [
            # What every reader's query filters on, newest first.
            models.Index(
                fields=["status", "internal", "language", "-published_at"],
                name="kb_article_visible",
            ),
            models.Index(fields=["category", "status", "title"], name="kb_article_category"),
            models.Index(fields=["-updated_at", "-id"], name="kb_article_updated"),
        ]
        # PostgreSQL-only full-text GIN indexes are added by migration 0002.

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:article", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def body_html(self) -> SafeString:
        return text.render_markdown(self.body)

    @property
    def excerpt(self) -> str:
        return self.summary or text.excerpt(self.body)
