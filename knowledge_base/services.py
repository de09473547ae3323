"""Every write to the knowledge base. The admin site, the pages, demo data and
the portal all come through here."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from helpdesk.errors import ApplicationError, NotFound, PermissionDenied
from knowledge_base import search, text
from knowledge_base.access import is_customer, may_edit_articles
from knowledge_base.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleRevision,
    ArticleStatus,
    Category,
    DeflectionSession,
    KnowledgeGap,
    Section,
)

MAX_TAGS = 20
MAX_COMMENT_LENGTH = 1000
# Paths under /kb/ that are pages of their own, so no article may take them as its slug.
RESERVED_SLUGS = frozenset(
    {"attachments", "category", "deflection", "report", "suggest", "sitemap", "search"}
)
# Attachments a browser may show inline or download; nothing that can run (HTML, SVG).
ATTACHMENT_TYPES = frozenset(
    {*ArticleAttachment.IMAGE_TYPES, "application/pdf", "text/plain", "text/csv"}
)
# How long after the last suggestion a customer's visit to the ticket form
# counts as one deflection session.
DEFLECTION_WINDOW = timedelta(hours=2)


# --- articles ------------------------------------------------------------------


def _clean_tags(tags: Iterable[Any]) -> list[str]:
    if isinstance(tags, str) or not isinstance(tags, Iterable):
        raise ApplicationError(_("Tags must be a list of words."), field="tags")
    slugs = (slugify(str(tag), allow_unicode=True)[:50] for tag in tags)
    cleaned = list(dict.fromkeys(slug for slug in slugs if slug))
    if len(cleaned) > MAX_TAGS:
        raise ApplicationError(_("At most %(max)d tags.") % {"max": MAX_TAGS}, field="tags")
    return cleaned


def _validate(article: Article) -> None:
    """Field rules from the model, as an ApplicationError naming the first bad field."""
    try:
        article.full_clean(
            exclude=["author", "translation_of", "section"],
            validate_unique=True,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(
            str(messages[0]), field=None if field == "__all__" else field
        ) from None
    if article.slug in RESERVED_SLUGS:
        raise ApplicationError(_("That address is taken by a page of its own."), field="slug")
    if article.section_id and article.section.category_id != article.category_id:
        raise ApplicationError(_("The section belongs to another category."), field="section")
    _validate_translation(article)


def _validate_translation(article: Article) -> None:
    """A translation points at an original (never at another translation), in another
    language, and only one translation per language."""
    original = article.translation_of
    if original is None:
        return
    if original.pk == article.pk:
        raise ApplicationError(
            _("An article cannot be a translation of itself."), field="translation_of"
        )
    if original.translation_of_id is not None:
        # Translations hang off the original, so a group is one level deep.
        original = original.translation_of
        article.translation_of = original
    if article.pk and article.translations.exists():
        raise ApplicationError(
            _("This article has translations of its own, so it cannot be a translation."),
            field="translation_of",
        )
    if original.language == article.language:
        raise ApplicationError(
            _("A translation must be in another language than the original."), field="language"
        )
    clash = Article.objects.filter(translation_of=original, language=article.language)
    if clash.exclude(pk=article.pk).exists():
        raise ApplicationError(
            _("That article already has a translation in this language."), field="language"
        )


def _refresh_search_document(article: Article) -> None:
    """Rebuilds the stored search document from the saved row (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    Article.objects.filter(pk=article.pk).update(
        search_document=search.document_vector(article.language)
    )


def _record_revision(*, actor: Any, article: Article, note: str = "") -> ArticleRevision | None:
    """A new revision when the title or body differ from the latest one.

    Caller holds the article's row lock, so numbers do not collide.
    """
    latest = article.revisions.order_by("-number").first()
    if latest and latest.title == article.title and latest.body == article.body:
        return None
    return ArticleRevision.objects.create(
        article=article,
        number=(latest.number if latest else 0) + 1,
        title=article.title,
        body=article.body,
        author=actor if getattr(actor, "pk", None) else None,
        note=note[:200],
    )


@transaction.atomic
def article_save(
    *,
    actor: Any,
    article: Article,
    changed: Iterable[str] | None = None,
    note: str = "",
) -> Article:
    """Saves a new or edited article whose fields the caller has set.

    Stamps `updated_at`, sets `published_at` the first time the article is
    published, keeps the author unless there is none yet, takes the category
    from the section, records a revision when the title or body changed and
    rebuilds the search document. `changed` names the fields the caller set on
    an existing article (all when None).
    """
    now = timezone.now()
    if article.pk is not None:
        # Serialises concurrent saves of one article, so revision numbers stay unique.
        Article.objects.select_for_update().filter(pk=article.pk).first()
    article.tags = _clean_tags(article.tags or [])
    if not article.slug:
        article.slug = slugify(article.title)[:200]
    if article.section_id and not article.category_id:
        article.category_id = article.section.category_id
    if article.author_id is None and getattr(actor, "pk", None):
        article.author = actor
    touched = {"updated_at"}
    if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = now
        touched.add("published_at")
    article.updated_at = now
    _validate(article)
    if article.pk is None or changed is None:
        article.save()
    else:
        touched |= set(changed) | {"tags", "slug", "author", "category", "translation_of"}
        touched.discard("related")
        article.save(update_fields=sorted(touched))
    _record_revision(actor=actor, article=article, note=note)
    _refresh_search_document(article)
    return article


def article_create(
    *,
    actor: Any,
    category: Category,
    title: str,
    body: str,
    slug: str = "",
    summary: str = "",
    language: str | None = None,
    status: str = ArticleStatus.DRAFT,
    internal: bool = False,
    tags: Iterable[str] = (),
    section: Section | None = None,
    translation_of: Article | None = None,
) -> Article:
    article = Article(
        category=category,
        section=section,
        title=(title or "").strip(),
        slug=slug,
        summary=summary,
        body=body,
        language=language or settings.LANGUAGE_CODE,
        translation_of=translation_of,
        status=status,
        internal=internal,
        tags=list(tags),
    )
    return article_save(actor=actor, article=article)


@transaction.atomic
def article_set_related(*, actor: Any, article: Article, related: Iterable[Article]) -> None:
    """Replaces the article's hand-picked related articles (the link goes both ways)."""
    others = [other for other in related if other.pk != article.pk]
    article.related.set(others)


@transaction.atomic
def article_revision_restore(*, actor: Any, article: Article, number: int) -> Article:
    """Puts an old revision's title and body back, as a new revision."""
    if not may_edit_articles(actor):
        raise PermissionDenied(_("Only knowledge-base editors may restore revisions."))
    revision = ArticleRevision.objects.filter(article=article, number=number).first()
    if revision is None:
        raise NotFound(_("No such revision."))
    article.title = revision.title
    article.body = revision.body
    return article_save(
        actor=actor,
        article=article,
        changed=["title", "body"],
        note=_("Restored revision %(number)d") % {"number": revision.number},
    )


def article_record_view(*, article: Article) -> None:
    """Counts one read. One UPDATE with no row lock, so busy articles do not queue."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def article_search_documents_rebuild(*, languages: Iterable[str] | None = None) -> int:
    """Rebuilds every stored search document in SQL (after bulk loads). PostgreSQL only."""
    if connection.vendor != "postgresql":
        return 0
    codes = list(languages or [code for code, _name in settings.LANGUAGES])
    updated = 0
    for code in codes:
        updated += Article.objects.filter(language=code).update(
            search_document=search.document_vector(code)
        )
    others = Article.objects.exclude(language__in=codes)
    for code in others.values_list("language", flat=True).distinct():
        updated += others.filter(language=code).update(search_document=search.document_vector(code))
    return updated


@transaction.atomic
def category_get_or_create(
    *, slug: str, name: str, position: int = 0, description: str = ""
) -> Category:
    category, _created = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "position": position, "description": description}
    )
    return category


@transaction.atomic
def section_get_or_create(
    *, category: Category, slug: str, name: str, position: int = 0, description: str = ""
) -> Section:
    section, _created = Section.objects.get_or_create(
        category=category,
        slug=slug,
        defaults={"name": name, "position": position, "description": description},
    )
    return section


# --- attachments -----------------------------------------------------------------


def safe_filename(name: str) -> str:
    """A display name without path parts or control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())[:200]
    try:
        return get_valid_filename(base) or "attachment"
    except Exception:  # get_valid_filename raises on names like ".."
        return "attachment"


def article_attachment_add(
    *, actor: Any, article: Article, upload: UploadedFile
) -> ArticleAttachment:
    """Stores a file for an article under a server-made name."""
    if not may_edit_articles(actor):
        raise PermissionDenied(_("Only knowledge-base editors may add files."))
    limit = settings.MAX_ATTACHMENT_BYTES
    if (upload.size or 0) > limit:
        raise ApplicationError(
            _("“%(name)s” is larger than the %(mb)d MB limit.")
            % {"name": upload.name, "mb": limit // (1024 * 1024)},
            field="file",
        )
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in ATTACHMENT_TYPES:
        raise ApplicationError(
            _("Only images (PNG, JPEG, GIF, WebP), PDF and plain-text files can be attached."),
            field="file",
        )
    return ArticleAttachment.objects.create(
        article=article,
        file=upload,
        filename=safe_filename(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )


@transaction.atomic
def article_attachment_delete(*, actor: Any, attachment: ArticleAttachment) -> None:
    if not may_edit_articles(actor):
        raise PermissionDenied(_("Only knowledge-base editors may remove files."))
    stored = attachment.file
    attachment.delete()
    # The row is gone only if the transaction commits; the file goes after that.
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


# --- feedback ---------------------------------------------------------------------


@transaction.atomic
def article_feedback_submit(
    *,
    article: Article,
    helpful: bool,
    comment: str = "",
    user: Any = None,
    session_key: str = "",
) -> ArticleFeedback:
    """Records a reader's vote, replacing their earlier one on the same article.

    A signed-in reader is known by account, anyone else by session. A vote
    with no comment keeps the comment given before, so "vote, then explain"
    is two calls.
    """
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ApplicationError(
            _("Please keep the comment under %(n)d characters.") % {"n": MAX_COMMENT_LENGTH},
            field="comment",
        )
    signed_in = bool(getattr(user, "is_authenticated", False))
    if not signed_in and not session_key:
        raise ApplicationError(_("Please enable cookies to send feedback."))
    who = Q(user=user) if signed_in else Q(user__isnull=True, session_key=session_key)
    feedback = ArticleFeedback.objects.select_for_update().filter(who, article=article).first()
    now = timezone.now()
    if feedback is None:
        try:
            with transaction.atomic():
                return ArticleFeedback.objects.create(
                    article=article,
                    helpful=helpful,
                    comment=comment,
                    user=user if signed_in else None,
                    session_key="" if signed_in else session_key,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            # The same reader's other tab won the race; update their row instead.
            feedback = ArticleFeedback.objects.select_for_update().get(who, article=article)
    # A bare vote keeps the comment given with the same answer before.
    feedback.comment = comment or (feedback.comment if feedback.helpful == helpful else "")
    feedback.helpful = helpful
    feedback.updated_at = now
    feedback.save(update_fields=["helpful", "comment", "updated_at"])
    return feedback


# --- knowledge gaps -----------------------------------------------------------------


def knowledge_gap_record(*, q: str, language: str) -> KnowledgeGap | None:
    """Counts a search that found nothing: an upsert on (normalised query, language)."""
    query = text.normalise_query(q)
    if len(query) < 2:
        return None
    language = (language or "")[:8]
    now = timezone.now()
    for _attempt in range(2):
        updated = KnowledgeGap.objects.filter(query=query, language=language).update(
            count=F("count") + 1, last_seen=now
        )
        if updated:
            return KnowledgeGap.objects.filter(query=query, language=language).first()
        try:
            with transaction.atomic():
                return KnowledgeGap.objects.create(
                    query=query, language=language, first_seen=now, last_seen=now
                )
        except IntegrityError:
            continue  # created meanwhile by another request: count it on the next pass
    return None


# --- deflection -----------------------------------------------------------------


@transaction.atomic
def deflection_suggestions_shown(
    *, user: Any, query: str, language: str, articles: Iterable[Article]
) -> DeflectionSession | None:
    """Notes suggestions shown to a customer writing a ticket; returns the session whose
    token goes into the links, or None for anyone but a signed-in customer.

    One session per sitting: the customer's latest unfiled session from the
    last DEFLECTION_WINDOW is reused as they keep typing.
    """
    ids = [article.pk for article in articles]
    if not ids or not is_customer(user):
        return None
    now = timezone.now()
    session = (
        DeflectionSession.objects.select_for_update()
        .filter(user=user, filed_at__isnull=True, updated_at__gte=now - DEFLECTION_WINDOW)
        .order_by("-updated_at", "-id")
        .first()
    )
    if session is None:
        return DeflectionSession.objects.create(
            user=user,
            query=query[:200],
            language=language[:8],
            suggested=ids,
            created_at=now,
            updated_at=now,
        )
    session.query = query[:200]
    session.language = language[:8]
    session.suggested = list(dict.fromkeys([*session.suggested, *ids]))[-100:]
    session.updated_at = now
    session.save(update_fields=["query", "language", "suggested", "updated_at"])
    return session


def _session_for(*, user: Any, token: str) -> DeflectionSession:
    """The caller's own session by token, row-locked; NotFound for anyone else's."""
    if not is_customer(user) or not token or len(token) > 40:
        raise NotFound(_("No such suggestion session."))
    session = DeflectionSession.objects.select_for_update().filter(token=token, user=user).first()
    if session is None:
        raise NotFound(_("No such suggestion session."))
    return session


@transaction.atomic
def deflection_mark_opened(*, user: Any, token: str, article: Article) -> DeflectionSession:
    """The customer opened one of the articles suggested to them."""
    session = _session_for(user=user, token=token)
    if article.pk not in session.suggested or session.filed_at is not None:
        return session
    now = timezone.now()
    session.opened_article = article
    session.opened_at = session.opened_at or now
    session.updated_at = now
    session.save(update_fields=["opened_article", "opened_at", "updated_at"])
    return session


@transaction.atomic
def deflection_mark_left(*, user: Any, token: str) -> DeflectionSession:
    """The customer left a suggested article's page. Deflected, unless they file after all."""
    session = _session_for(user=user, token=token)
    if session.opened_at is None or session.filed_at is not None:
        return session
    now = timezone.now()
    session.left_at = now
    session.deflected = True
    session.updated_at = now
    session.save(update_fields=["left_at", "deflected", "updated_at"])
    return session


@transaction.atomic
def deflection_mark_filed(*, user: Any) -> int:
    """The customer filed a ticket: their sessions of this sitting did not deflect it.

    The portal calls this after creating a ticket. Returns how many sessions it marked.
    """
    if not is_customer(user):
        return 0
    now = timezone.now()
    return DeflectionSession.objects.filter(
        user=user, filed_at__isnull=True, updated_at__gte=now - DEFLECTION_WINDOW
    ).update(filed_at=now, deflected=False, updated_at=now)
