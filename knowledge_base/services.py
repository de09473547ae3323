"""Every write to the knowledge base. The admin site, demo data and (later) an
authoring API all come through here."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helpdesk.errors import ApplicationError
from knowledge_base.models import Article, ArticleStatus, Category

MAX_TAGS = 20


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
        article.full_clean(exclude=["author"], validate_unique=True, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(
            str(messages[0]), field=None if field == "__all__" else field
        ) from None


@transaction.atomic
def article_save(*, actor: Any, article: Article, changed: Iterable[str] | None = None) -> Article:
    """Saves a new or edited article whose fields the caller has set.

    Stamps `updated_at`, sets `published_at` the first time the article is
    published, and keeps the author unless there is none yet. `changed` names
    the fields the caller set on an existing article (all when None).
    """
    now = timezone.now()
    article.tags = _clean_tags(article.tags or [])
    if not article.slug:
        article.slug = slugify(article.title)[:200]
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
        touched |= set(changed) | {"tags", "slug", "author"}
        article.save(update_fields=sorted(touched))
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
) -> Article:
    article = Article(
        category=category,
        title=(title or "").strip(),
        slug=slug,
        summary=summary,
        body=body,
        language=language or settings.LANGUAGE_CODE,
        status=status,
        internal=internal,
        tags=list(tags),
    )
    return article_save(actor=actor, article=article)


def article_record_view(*, article: Article) -> None:
    """Counts one read. One UPDATE with no row lock, so busy articles do not queue."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


@transaction.atomic
def category_get_or_create(
    *, slug: str, name: str, position: int = 0, description: str = ""
) -> Category:
    category, _created = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "position": position, "description": description}
    )
    return category
