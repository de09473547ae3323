"""Every read of the knowledge base, already scoped to what the reader may see.

Customers and anonymous visitors read published, public articles; agents
also read published internal ones. Drafts, articles in review and archived
ones are for editors (the admin site and the revision pages) only.

Search itself lives in `knowledge_base.search`; here it is scoped, narrowed to
a language and, for suggestions, folded to one article per translation group
in the reader's language.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString

from helpdesk.errors import NotFound
from knowledge_base import search, text
from knowledge_base.access import may_edit_articles, may_read_internal
from knowledge_base.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleRevision,
    ArticleStatus,
    Category,
    DeflectionSession,
    KnowledgeGap,
)

MAX_QUERY_LENGTH = search.MAX_QUERY_LENGTH
SEARCH_CONFIGS = search.SEARCH_CONFIGS
SUGGESTIONS = 5
SEARCH_RESULTS_SHOWN_AS_MANY = search.POOL
INDEX_ARTICLES_PER_CATEGORY = 12


@dataclass(frozen=True)
class SearchHit:
    """A search result as pages show it: the article and its highlighted snippet."""

    article: Article
    snippet: SafeString


def clean_language(language: str | None) -> str | None:
    """A known language code, or None for "any language"."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else None


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- articles ------------------------------------------------------------------


def article_list_for(*, user: Any) -> QuerySet[Article]:
    """Published articles the user may read, with category and section loaded."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related(
        "category", "section"
    )
    if not may_read_internal(user):
        articles = articles.filter(internal=False)
    return articles


def _preferred_versions(articles: QuerySet[Article], language: str) -> QuerySet[Article]:
    """One article per translation group: the one in `language`, else the original.

    A translation whose original cannot be read stands in for it.
    """
    in_language = articles.filter(language=language).filter(
        Q(pk=OuterRef("group")) | Q(translation_of_id=OuterRef("group"))
    )
    original_readable = articles.filter(pk=OuterRef("translation_of_id"))
    return articles.alias(
        group=Coalesce(F("translation_of_id"), F("pk")),
        has_version=Exists(in_language),
        original_readable=Exists(original_readable),
    ).filter(
        Q(language=language)
        | Q(has_version=False, translation_of__isnull=True)
        | Q(has_version=False, original_readable=False)
    )


def article_search(
    *, user: Any, q: str, language: str | None = None
) -> "QuerySet[Article] | search.RankedResults":
    """Articles matching `q` that the user may read, best first: something a
    paginator takes (a QuerySet, or on PostgreSQL search.RankedResults).

    An empty query lists everything the user may read, newest first. Every
    language version of an article is its own document here: a search finds
    the text that matches what was typed.
    """
    articles = article_list_for(user=user).defer("search_document")
    language = clean_language(language)
    if language:
        articles = articles.filter(language=language)
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if not q:
        return articles.order_by("-published_at", "-id")
    return search.search(articles, q, languages=[language] if language else language_codes())


def article_snippet(article: Article, q: str) -> SafeString:
    """What a search result shows under the title: the hit in context, highlighted."""
    headline = getattr(article, "search_headline", None)
    if headline:
        return text.headline_to_snippet(headline)
    terms = text.search_terms(q or "")
    if article.summary and not terms:
        return text.finish_snippet(article.summary)
    return text.highlight(text.markdown_to_text(article.body), terms)


def _fold_translations(
    *, user: Any, ranked: Iterable[Article], language: str | None, limit: int
) -> list[Article]:
    """The best `limit` translation groups, each shown in `language` when it has a readable
    version in it, else as found. One query for the swaps."""
    chosen: dict[int, Article] = {}
    for article in ranked:
        group = article.translation_group_id
        if group not in chosen:
            if len(chosen) == limit:
                continue
            chosen[group] = article
        elif article.language == language and chosen[group].language != language:
            chosen[group] = article
    missing = [group for group, article in chosen.items() if article.language != language]
    if language and missing:
        swaps = (
            article_list_for(user=user)
            .defer("search_document")
            .filter(language=language)
            .filter(Q(pk__in=missing) | Q(translation_of_id__in=missing))
        )
        for article in swaps:
            chosen[article.translation_group_id] = article
    return list(chosen.values())


def article_suggest(
    *, user: Any, q: str, language: str | None, limit: int = SUGGESTIONS
) -> list[Article]:
    """Up to `limit` articles for what someone is typing (a ticket subject, say),
    one per translation group and in `language` where there is a version in it.

    The last word also matches as a prefix (type-ahead); a subject that no
    article matches whole (a sentence, usually) finds articles with some of
    its words, typos forgiven.
    """
    parsed = search.parse(q)
    if len(parsed.raw) < 3 or not parsed.words:
        return []
    ranked = search.search(
        article_list_for(user=user).defer("search_document"),
        parsed.raw,
        languages=language_codes(),
        prefix=True,
        pool=search.SUGGESTION_POOL,
        headlines=False,
    )[: limit * 3]
    return _fold_translations(
        user=user, ranked=ranked, language=clean_language(language), limit=limit
    )


def articles_suggested_for_ticket(
    *, user: Any, subject: str, body: str, language: str | None, limit: int = SUGGESTIONS
) -> list[Article]:
    """The articles most likely to answer a ticket, for the agent working it.

    The subject's words first, then the body's longer ones; internal articles
    too when the user is an agent.
    """
    subject_words = text.significant_words(subject or "", limit=8)
    body_words = [w for w in text.significant_words(body or "", limit=30) if len(w) > 3]
    # A search weighs ten words at most (search.parse): the subject's come first.
    words = list(dict.fromkeys([*subject_words, *body_words]))[:10]
    if not words:
        return []
    ranked = search.search(
        article_list_for(user=user).defer("search_document"),
        " ".join(words),
        languages=language_codes(),
        pool=search.SUGGESTION_POOL,
        headlines=False,
        fill=True,
    )[: limit * 3]
    return _fold_translations(
        user=user, ranked=ranked, language=clean_language(language), limit=limit
    )


def agent_panel_context(request: Any, ticket: Any) -> dict:
    """Context for `knowledge_base/_agent_panel.html` on the agent's ticket page.

    Reads the subject, the first public message and the requester's language
    from the ticket without importing `tickets`.
    """
    first_message = (
        ticket.messages.filter(internal=False).order_by("created_at", "id").first()
        if hasattr(ticket, "messages")
        else None
    )
    requester = getattr(ticket, "requester", None)
    articles = articles_suggested_for_ticket(
        user=request.user,
        subject=getattr(ticket, "subject", ""),
        body=getattr(first_message, "body", ""),
        language=getattr(requester, "language", None),
    )
    return {
        "kb_suggestions": [
            {"article": article, "url": f"{settings.SITE_URL}{article.get_absolute_url()}"}
            for article in articles
        ],
        "kb_search_url": f"{settings.SITE_URL}/kb/",
    }


def article_get_for(*, user: Any, slug_or_id: Any, unpublished: bool = False) -> Article:
    """One readable article by slug, or by id when given digits. NotFound otherwise.

    `unpublished`: editors also get drafts, articles in review and archived ones.
    """
    key = str(slug_or_id or "").strip()[:200]
    if unpublished and may_edit_articles(user):
        articles = Article.objects.select_related("category", "section")
    else:
        articles = article_list_for(user=user)
    articles = articles.select_related("translation_of")
    article = None
    if key.isascii() and key.isdigit() and len(key) < 19:
        article = articles.filter(pk=int(key)).first()
    if article is None and key:
        article = articles.filter(slug=key).first()
    if article is None:
        raise NotFound("No such article.")
    return article


def article_translations(*, user: Any, article: Article) -> list[Article]:
    """Every readable language version of the article, itself included, by language."""
    group = article.translation_group_id
    return list(
        article_list_for(user=user)
        .filter(Q(pk=group) | Q(translation_of_id=group))
        .select_related(None)
        .only("id", "slug", "title", "language", "translation_of_id")
        .order_by("language")
    )


def article_related(*, user: Any, article: Article, limit: int = 5) -> list[Article]:
    """Hand-picked related articles first, then others from the same section and
    category, in the article's language. One query."""
    picked = Article.related.through.objects.filter(from_article_id=article.pk).values(
        "to_article_id"
    )
    same_place = Q(category_id=article.category_id, language=article.language)
    return list(
        article_list_for(user=user)
        .filter(Q(pk__in=picked) | same_place)
        .exclude(pk=article.pk)
        .annotate(
            closeness=Case(
                When(pk__in=picked, then=Value(0)),
                When(section_id=article.section_id, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closeness", "title", "id")[:limit]
    )


def article_attachments(*, article: Article) -> list[ArticleAttachment]:
    return list(article.attachments.order_by("filename", "id"))


def attachment_get_for(*, user: Any, attachment_id: Any) -> ArticleAttachment:
    """An attachment of an article the user may read (editors: any article)."""
    attachments = ArticleAttachment.objects.select_related("article")
    if not may_edit_articles(user):
        attachments = attachments.filter(article__in=article_list_for(user=user))
    attachment = attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("No such file.")
    return attachment


def feedback_of(*, article: Article, user: Any, session_key: str | None) -> ArticleFeedback | None:
    """The reader's own earlier vote on the article, if any."""
    if getattr(user, "is_authenticated", False):
        return ArticleFeedback.objects.filter(article=article, user=user).first()
    if session_key:
        return ArticleFeedback.objects.filter(
            article=article, user__isnull=True, session_key=session_key
        ).first()
    return None


# --- browsing ------------------------------------------------------------------------


def _browsable(*, user: Any, language: str | None, viewer_language: str) -> QuerySet[Article]:
    articles = article_list_for(user=user)
    language = clean_language(language)
    if language:
        return articles.filter(language=language)
    return _preferred_versions(articles, clean_language(viewer_language) or settings.LANGUAGE_CODE)


def _in_reading_order(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.order_by(
        F("section__position").asc(nulls_first=True), "section__name", "title", "id"
    )


def category_list_with_articles(
    *, user: Any, language: str | None = None, viewer_language: str = ""
) -> list[Category]:
    """Categories that have readable articles, each with its first ones in
    `visible_articles` (in reading order, one per translation group) and how
    many it has in `article_count`.

    Two queries however many categories and articles there are.
    """
    articles = _browsable(user=user, language=language, viewer_language=viewer_language)
    count = (
        articles.filter(category_id=OuterRef("pk"))
        .order_by()
        .values("category_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    categories = (
        Category.objects.filter(Exists(articles.filter(category_id=OuterRef("pk"))))
        .annotate(article_count=Subquery(count, output_field=IntegerField()))
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=_in_reading_order(articles)[:INDEX_ARTICLES_PER_CATEGORY],
                to_attr="visible_articles",
            )
        )
    )
    return list(categories)


def category_get(*, slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise NotFound("No such category.")
    return category


def category_articles(
    *, user: Any, category: Category, language: str | None = None, viewer_language: str = ""
) -> QuerySet[Article]:
    """The category's readable articles in reading order (sections by position)."""
    articles = _browsable(user=user, language=language, viewer_language=viewer_language)
    return _in_reading_order(articles.filter(category=category))


def sitemap_articles() -> QuerySet[Article]:
    """What search engines may index: published public articles, slug and date only."""
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, internal=False)
        .order_by("id")
        .values("slug", "updated_at")
    )


def sitemap_categories() -> QuerySet[Category]:
    public = Article.objects.filter(
        category_id=OuterRef("pk"), status=ArticleStatus.PUBLISHED, internal=False
    )
    return Category.objects.filter(Exists(public)).only("slug")


# --- revisions -----------------------------------------------------------------------


def revision_list(*, article: Article) -> list[ArticleRevision]:
    return list(article.revisions.select_related("author").order_by("-number"))


@dataclass(frozen=True)
class RevisionDiff:
    old: ArticleRevision | None
    new: ArticleRevision
    title_changed: bool
    lines: list[text.DiffLine]


def revision_diff(*, article: Article, number: int, against: int | None = None) -> RevisionDiff:
    """How revision `number` differs from `against` (by default the one before it)."""
    new = article.revisions.select_related("author").filter(number=number).first()
    if new is None:
        raise NotFound("No such revision.")
    older = article.revisions.select_related("author")
    if against is not None:
        old = older.filter(number=against).first()
        if old is None:
            raise NotFound("No such revision.")
    else:
        old = older.filter(number__lt=number).order_by("-number").first()
    return RevisionDiff(
        old=old,
        new=new,
        title_changed=old is not None and old.title != new.title,
        lines=text.line_diff(old.body if old else "", new.body),
    )


# --- report ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeflectionSummary:
    sessions: int
    opened: int
    deflected: int
    filed: int

    @property
    def deflection_rate(self) -> float | None:
        return self.deflected / self.sessions if self.sessions else None


def report_top_viewed(*, limit: int = 20) -> list[Article]:
    return list(
        Article.objects.filter(status=ArticleStatus.PUBLISHED, view_count__gt=0)
        .select_related("category")
        .only("id", "slug", "title", "language", "internal", "view_count", "category__name")
        .order_by("-view_count", "id")[:limit]
    )


def report_most_unhelpful(*, limit: int = 20) -> list[Article]:
    """Articles with the most "not helpful" votes, each with `helpful_votes`,
    `unhelpful_votes` and `latest_comment` (the newest critical comment)."""
    latest_comment = (
        ArticleFeedback.objects.filter(article=OuterRef("pk"), helpful=False)
        .exclude(comment="")
        .order_by("-updated_at", "-id")
        .values("comment")[:1]
    )
    return list(
        Article.objects.annotate(
            helpful_votes=Count("feedback", filter=Q(feedback__helpful=True)),
            unhelpful_votes=Count("feedback", filter=Q(feedback__helpful=False)),
            latest_comment=Subquery(latest_comment),
        )
        .filter(unhelpful_votes__gt=0)
        .only("id", "slug", "title", "language", "status", "internal")
        .order_by("-unhelpful_votes", "helpful_votes", "id")[:limit]
    )


def report_knowledge_gaps(*, limit: int = 50) -> list[KnowledgeGap]:
    return list(KnowledgeGap.objects.order_by("-count", "-last_seen")[:limit])


def report_deflection_summary(*, days: int = 30) -> DeflectionSummary:
    since = timezone.now() - timedelta(days=days)
    totals = DeflectionSession.objects.filter(created_at__gte=since).aggregate(
        sessions=Count("id"),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        deflected=Count("id", filter=Q(deflected=True)),
        filed=Count("id", filter=Q(filed_at__isnull=False)),
    )
    return DeflectionSummary(**totals)
