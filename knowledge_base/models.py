"""Knowledge-base content and what readers do with it.

Categories hold sections, sections hold articles. Bodies are Markdown;
`body_html` renders and sanitises on read, so what is stored is always what
the author wrote. Every write goes through `knowledge_base.services`; `save()`
has no side effects.

Besides content: revisions (one per change of title or body), attachments,
feedback votes, knowledge gaps (searches that found nothing) and deflection
sessions (suggestions shown while a customer writes a ticket).
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorExact
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from knowledge_base import text


class SearchDocumentField(models.Field):
    """A stored full-text document: `tsvector` on PostgreSQL, an unused text column elsewhere.

    Django's own SearchVectorField insists on `django.contrib.postgres` in
    INSTALLED_APPS; this one only needs the `@@` lookup. The service fills it
    (see `search.document_vector`); SQLite leaves it empty and searches with LIKE.
    """

    description = "Full-text search document"

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


SearchDocumentField.register_lookup(SearchVectorExact)


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

    def get_absolute_url(self) -> str:
        return reverse("kb:category", kwargs={"slug": self.slug})


class Section(models.Model):
    """A group of articles inside a category, such as "Passwords" under "Account"."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["category", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "slug"], name="kb_section_slug_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.name}"


class Article(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("Optional. Must belong to the article's category."),
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
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The original article this one translates. Leave empty for originals."),
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("related articles"), blank=True, symmetrical=True
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
    # Weighted title/summary/tags/body vector in the article's language, kept by
    # `services.article_save`; GIN-indexed on PostgreSQL by migration 0004.
    search_document = SearchDocumentField(null=True, blank=True, editable=False)

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
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")), name="kb_article_not_own_translation"
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="kb_article_one_translation_per_language",
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
            models.Index(fields=["-view_count"], name="kb_article_views"),
        ]
        # PostgreSQL-only GIN indexes (the search document, trigrams on the
        # title) are added by migration 0004.

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:article", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def translation_group_id(self) -> int:
        """The original's id: what every translation of one article shares."""
        return self.translation_of_id or self.pk

    @property
    def body_html(self) -> SafeString:
        return text.render_markdown(self.body)

    @property
    def excerpt(self) -> str:
        return self.summary or text.excerpt(self.body)


class ArticleRevision(models.Model):
    """The title and body as one save through the service left them."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


def attachment_path(instance: "ArticleAttachment", filename: str) -> str:
    """A server-made name: the upload's own name is kept only as data."""
    suffix = PurePath(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"kb/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class ArticleAttachment(models.Model):
    """A file or image for an article, served only to people who may read the article."""

    IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["article", "filename", "id"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("kb:attachment", kwargs={"pk": self.pk, "filename": self.filename})

    @property
    def is_image(self) -> bool:
        return self.content_type in self.IMAGE_TYPES


class ArticleFeedback(models.Model):
    """One reader's "was this helpful?" answer; a second answer replaces the first."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Anonymous readers are told apart by their session, so a reload does not vote twice.
    session_key = models.CharField(_("session"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(user__isnull=False),
                name="kb_feedback_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=Q(user__isnull=True) & ~Q(session_key=""),
                name="kb_feedback_one_per_session",
            ),
        ]
        indexes = [models.Index(fields=["article", "helpful"], name="kb_feedback_article")]

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class KnowledgeGap(models.Model):
    """A search that found nothing, counted per normalised query and language."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    count = models.PositiveIntegerField(_("times searched"), default=1)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("knowledge gap")
        verbose_name_plural = _("knowledge gaps")
        ordering = ["-count", "-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["query", "language"], name="kb_gap_query_language")
        ]
        indexes = [models.Index(fields=["-count", "-last_seen"], name="kb_gap_top")]

    def __str__(self) -> str:
        return f"{self.query} ({self.language})"


def new_deflection_token() -> str:
    return secrets.token_urlsafe(24)


class DeflectionSession(models.Model):
    """Suggestions shown to a customer writing a ticket, and what came of them.

    Opened: the customer opened a suggested article. Deflected: they then left
    without filing. Filing a ticket in the same sitting clears `deflected`.
    """

    token = models.CharField(max_length=40, unique=True, default=new_deflection_token)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kb_deflection_sessions"
    )
    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    suggested = models.JSONField(_("suggested article ids"), default=list)
    opened_article = models.ForeignKey(
        Article,
        verbose_name=_("opened article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed a ticket"), null=True, blank=True)
    deflected = models.BooleanField(_("deflected"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("deflection session")
        verbose_name_plural = _("deflection sessions")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deflected=True, filed_at__isnull=False),
                name="kb_deflection_filed_is_not_deflected",
            ),
            models.CheckConstraint(
                condition=~Q(deflected=True, opened_at__isnull=True),
                name="kb_deflection_deflected_has_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-updated_at"], name="kb_deflection_user"),
            models.Index(fields=["-created_at"], name="kb_deflection_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.query[:40]}"
