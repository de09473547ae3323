"""Every read of the knowledge base, already scoped to what the reader may see.

Customers and anonymous visitors read published, public articles; agents
also read published internal ones. Drafts, articles in review and archived
ones are for the admin site only.

Search uses PostgreSQL full-text search where the database is PostgreSQL
(weighted title and body vectors, per-language stemming, ranked, with
highlighted headlines) and a plain `icontains` match elsewhere (SQLite), with
title hits first.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from helpdesk.errors import NotFound
from knowledge_base import text
from knowledge_base.models import Article, ArticleStatus, Category

# PostgreSQL text-search configuration for each article language. Migration
# 0002 builds a GIN index per language on the same expressions.
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    """A search result as pages show it: the article and its highlighted snippet."""

    article: Article
    snippet: SafeString


def _may_read_internal(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_agent)


def article_list_for(*, user: Any) -> QuerySet[Article]:
    """Published articles the user may read, with their category loaded."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("category")
    if not _may_read_internal(user):
        articles = articles.filter(internal=False)
    return articles


def clean_language(language: str | None) -> str | None:
    """A known language code, or None for "any language"."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else None


def article_search(*, user: Any, q: str, language: str | None = None) -> QuerySet[Article]:
    """Articles matching `q` that the user may read, best first.

    An empty query lists everything the user may read, newest first. On
    PostgreSQL each row carries `search_rank` and `search_headline`.
    """
    articles = article_list_for(user=user)
    language = clean_language(language)
    if language:
        articles = articles.filter(language=language)
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if not q:
        return articles.order_by("-published_at", "-id")
    if connection.vendor == "postgresql":
        return _postgres_search(articles, q, language)
    return _fallback_search(articles, q)


def _search_vector(config: str):
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=config) + SearchVector(
        "body", weight="B", config=config
    )


def _postgres_search(
    articles: QuerySet[Article], q: str, language: str | None
) -> QuerySet[Article]:
    """One match, rank and headline per language, each with its own stemming.

    The filter is an OR of `language = 'xx' AND vector_xx @@ query_xx`, which is
    what the partial GIN indexes of migration 0002 answer.
    """
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    languages = [language] if language else list(SEARCH_CONFIGS)
    vectors = {}
    condition = Q()
    ranks = []
    headlines = []
    for code in languages:
        config = SEARCH_CONFIGS.get(code, "simple")
        query = SearchQuery(q, search_type="websearch", config=config)
        vector = _search_vector(config)
        vectors[f"search_vector_{code}"] = vector
        condition |= Q(language=code, **{f"search_vector_{code}": query})
        ranks.append(When(language=code, then=SearchRank(vector, query)))
        headlines.append(
            When(
                language=code,
                then=SearchHeadline(
                    "body",
                    query,
                    config=config,
                    start_sel=text.HIT_START,
                    stop_sel=text.HIT_END,
                    max_words=text.SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
        )
    return (
        articles.alias(**vectors)
        .filter(condition)
        .annotate(search_rank=Case(*ranks), search_headline=Case(*headlines))
        .order_by("-search_rank", "-published_at", "-id")
    )


def _fallback_search(articles: QuerySet[Article], q: str) -> QuerySet[Article]:
    """Every word in the title or body; whole-phrase title hits, then word title hits, first."""
    terms = text.search_terms(q) or [q]
    for term in terms:
        articles = articles.filter(Q(title__icontains=term) | Q(body__icontains=term))
    title_any = Q()
    for term in terms:
        title_any |= Q(title__icontains=term)
    title_hit = Case(
        When(title__icontains=q, then=Value(2)),
        When(title_any, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return articles.alias(title_hit=title_hit).order_by("-title_hit", "-published_at", "-id")


def article_snippet(article: Article, q: str) -> SafeString:
    """What a search result shows under the title: the hit in context, highlighted."""
    headline = getattr(article, "search_headline", None)
    if headline:
        return text.headline_to_snippet(headline)
    terms = text.search_terms(q or "")
    if article.summary and not terms:
        return text.finish_snippet(article.summary)
    return text.highlight(text.markdown_to_text(article.body), terms)


def article_get_for(*, user: Any, slug_or_id: Any) -> Article:
    """One readable article by slug, or by id when given digits. NotFound otherwise."""
    key = str(slug_or_id or "").strip()[:200]
    articles = article_list_for(user=user)
    article = None
    if key.isascii() and key.isdigit() and len(key) < 19:
        article = articles.filter(pk=int(key)).first()
    if article is None and key:
        article = articles.filter(slug=key).first()
    if article is None:
        raise NotFound("No such article.")
    return article


def article_related(*, user: Any, article: Article, limit: int = 5) -> list[Article]:
    """Other readable articles in the same category and language."""
    return list(
        article_list_for(user=user)
        .filter(category_id=article.category_id, language=article.language)
        .exclude(pk=article.pk)
        .order_by("title")[:limit]
    )


def category_list_with_articles(*, user: Any, language: str | None = None) -> list[Category]:
    """Categories that have readable articles, each with them in `visible_articles`.

    Two queries however many categories and articles there are.
    """
    articles = article_list_for(user=user).order_by("title", "id")
    language = clean_language(language)
    if language:
        articles = articles.filter(language=language)
    categories = (
        Category.objects.filter(articles__in=articles)
        .distinct()
        .prefetch_related(Prefetch("articles", queryset=articles, to_attr="visible_articles"))
    )
    return list(categories)
