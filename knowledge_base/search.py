"""How a query becomes a ranked queryset of articles. Selectors call this;
nothing here knows about users (callers pass an already scoped queryset).

PostgreSQL
    Each article stores `search_document`: title (weight A), summary and tags
    (B) and body (B) in a text-search configuration for its language
    (`kb_english`, `kb_spanish`: the stock stemmers behind `unaccent`, so
    "contrasena" finds "contraseña"), kept by `services.article_save` and
    GIN-indexed by migration 0004. A query is matched in every language it may
    be in, each with its own configuration, and ranked with `ts_rank`.

    1. The probe: one query of EXISTS subqueries asks whether some article has
       every word, and which words any article has at all.
    2. Candidates, in capped pools read from the indexes in storage order:
       - strict (some article has every word; websearch syntax, so quotes and
         `-word` work): those with every word in the title too (ILIKE on the
         title's trigram index), then any of them;
       - relaxed (none has every word, or to fill a list): articles with at
         least two of the words, articles with any, and, for the words no
         article has (typos, usually), articles whose title has a word close
         to them: pg_trgm's `word <% title` on the trigram index, with the
         threshold `apps.py` sets per connection.
       All pools are one UNION ALL query that ranks the rows as it reads them:
       `ts_rank`, plus `strict_word_similarity(unknown words, title)` (whole
       words, so "refnd" is nearer "refund" than "and redeeming").
    3. The page: RankedResults loads only the rows of the slice asked for,
       with highlighted headlines, in one query.

    Trigrams serve unknown words only: on a common word the trigram index
    hands back most titles, and checking them costs ~5 µs a row. The last
    word of a suggestion also matches as a prefix (type-ahead).

    Cost is bounded at any size by the caps (POOL; SUGGESTION_POOL): below them
    the ranking is exact; a word in more articles than that ranks its title
    matches plus a sample of the rest. See bench/kb_search.py for numbers.

Elsewhere (SQLite)
    The same strict/relaxed split with LIKE on crudely stemmed words, ranked
    by how many words matched and whether they matched in the title. No typo
    tolerance, no accent folding and no caps (SQLite is for small sites).
"""

import collections.abc
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, FloatField, Lookup, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast

from knowledge_base import text

# Article language -> PostgreSQL text-search configuration (made by migration 0004).
SEARCH_CONFIGS = {"en": "kb_english", "es": "kb_spanish"}
FALLBACK_CONFIG = "simple"
MAX_QUERY_LENGTH = 200
# pg_trgm word similarity from which a title word counts as a typo of a query
# word ("refnd" ~ "refund" is 0.5). Set per connection by `apps.py`.
WORD_SIMILARITY_THRESHOLD = 0.45
# Shorter words share too few trigrams to tell a typo from a different word.
TRIGRAM_MIN_LETTERS = 4
# How much a title that looks like the unknown words (0..1) adds to ts_rank.
TRIGRAM_WEIGHT = 0.5
# ts_rank normalisation 1: divide by 1 + log(document length), so a long
# article does not outrank a focused one by repeating a word.
RANK_NORMALISATION = 1
# Most candidates each pool hands to ranking (see the module docstring); the
# title pool takes twice as many. Suggestions show five, so they take fewer.
POOL = 300
SUGGESTION_POOL = 100
# Longest query also compared with titles as a whole phrase, for typos.
PHRASE_WORDS = 3
# Words whose pairs make the "at least two words" pool (6 pairs at most: each
# costs per row checked, and the planner scans rows for it).
PAIR_WORDS = 4


def config_for(language: str) -> str:
    return SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


class _ILike(Lookup):
    """`lhs ILIKE rhs`, which pg_trgm's GIN index on the title answers (Django's
    `icontains` compares UPPER(title) instead, which that index cannot)."""

    lookup_name = "kb_ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", (*lhs_params, *rhs_params)


def _title_has(word: str) -> Q:
    """The title contains the word's crude stem anywhere (case-insensitive)."""
    stem = text.crude_stem(word)
    escaped = stem.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Q(_ILike(F("title"), Value(f"%{escaped}%")))


def document_vector(language: str):
    """The stored search document of an article in `language`, as an UPDATE expression.

    The service and the bulk loaders (migration backfill, bench) all use this,
    so every row's document is built the same way.
    """
    from django.contrib.postgres.search import SearchVector

    config = config_for(language)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", Cast("tags", TextField()), weight="B", config=config)
        + SearchVector("body", weight="B", config=config)
    )


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    words: list[str] = field(default_factory=list)  # significant, lower-case, unique

    @property
    def last_prefix(self) -> str:
        """The last word as a to_tsquery prefix ("passw:*"), or "" when too short."""
        last = "".join(ch for ch in (self.words[-1] if self.words else "") if ch.isalnum())
        return f"{last}:*" if len(last) >= 3 else ""


def parse(q: str) -> ParsedQuery:
    raw = (q or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    return ParsedQuery(raw=raw, words=text.significant_words(raw))


def search(
    articles: QuerySet,
    q: str,
    *,
    languages: Sequence[str],
    prefix: bool = False,
    pool: int = POOL,
    headlines: bool = True,
    fill: bool = False,
) -> "RankedResults | QuerySet":
    """`articles` matching `q`, best first, each with `search_rank` (and on
    PostgreSQL `search_headline`).

    `prefix` matches the last word as the start of a word (type-ahead); `fill`
    adds relaxed matches after the strict ones (a short list should not stop
    at one article); `pool` caps each candidate pool;
    `headlines` computes highlighted snippets for the rows loaded.

    On PostgreSQL this runs two queries now (the probe, then the ranking of the
    candidates) and returns RankedResults, which loads a slice's rows with one
    more; elsewhere a lazy QuerySet.
    """
    query = parse(q)
    if not query.words:
        return articles.none()
    if connection.vendor != "postgresql":
        return _Fallback(query).search(articles, fill=fill)
    languages = list(languages) or [code for code, _name in settings.LANGUAGES]
    engine = _Postgres(query, languages, prefix=prefix, pool=pool, headlines=headlines)
    return engine.search(articles, fill=fill)


class RankedResults(collections.abc.Sequence):
    """Ranked search results: the order is known, rows load a slice at a time.

    Works wherever a QuerySet of results was used: Django's and DRF's
    paginators (`count()`, slicing), iteration, `len()`.
    """

    def __init__(self, rows: QuerySet, ranked: list[tuple[int, float]], headline=None):
        self._rows = rows  # the readable articles, with their joins
        self._ranked = ranked  # (id, rank), best first
        self._headline = headline

    def count(self) -> int:
        return len(self._ranked)

    def __len__(self) -> int:
        return len(self._ranked)

    def exists(self) -> bool:
        return bool(self._ranked)

    def __iter__(self):
        for start in range(0, len(self._ranked), 100):
            yield from self[start : start + 100]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1] if index >= 0 else self[index:][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        chosen = self._ranked[index]
        if not chosen:
            return []
        ranks = dict(chosen)
        loaded = self._rows.filter(pk__in=list(ranks)).order_by()
        if self._headline is not None:
            loaded = loaded.annotate(search_headline=self._headline)
        by_id = {article.pk: article for article in loaded}
        page = []
        for pk, rank in chosen:
            if pk in by_id:
                by_id[pk].search_rank = rank
                page.append(by_id[pk])
        return page


class _Postgres:
    def __init__(
        self, query: ParsedQuery, languages: list[str], *, prefix: bool, pool: int, headlines: bool
    ):
        self.query = query
        self.languages = languages
        self.prefix = query.last_prefix if prefix else ""
        self.pool = pool
        self.headlines = headlines

    # --- tsquery building: one per language, each with its own stemming ------------

    def _tsquery(self, words: Sequence[str], code: str, *, last_prefix: bool = False):
        """Any of `words` (and the last word's prefix, when asked and searching by prefix)."""
        from django.contrib.postgres.search import SearchQuery

        config = config_for(code)
        either = " or ".join(word for word in words if word not in {"or", "and"})
        found = SearchQuery(either, search_type="websearch", config=config)
        if last_prefix and self.prefix:
            found = found | SearchQuery(self.prefix, search_type="raw", config=config)
        return found

    def _matches(self, make) -> Q:
        """`search_document @@ make(code)` in each language the article may be in."""
        condition = Q()
        for code in self.languages:
            condition |= Q(language=code, search_document=make(code))
        return condition

    def _pairs(self, words: Sequence[str]) -> Q:
        """At least two of `words` (an OR of ANDed pairs, one tsquery per language)."""
        from django.contrib.postgres.search import SearchQuery

        def make(code):
            config = config_for(code)
            pairs = [
                SearchQuery(a, config=config) & SearchQuery(b, config=config)
                for a, b in itertools.combinations(words[:PAIR_WORDS], 2)
            ]
            combined = pairs[0]
            for pair in pairs[1:]:
                combined = combined | pair
            return combined

        return self._matches(make)

    def strict_match(self) -> Q:
        """Every word; with a prefix, every word but the last plus the last as a prefix."""
        from django.contrib.postgres.search import SearchQuery

        def make(code):
            config = config_for(code)
            every = SearchQuery(self.query.raw, search_type="websearch", config=config)
            if not self.prefix:
                return every
            started = SearchQuery(self.prefix, search_type="raw", config=config)
            if len(self.query.words) > 1:
                rest = " ".join(self.query.words[:-1])
                started = SearchQuery(rest, search_type="websearch", config=config) & started
            return every | started

        return self._matches(make)

    def word_match(self, word: str, *, last: bool) -> Q:
        return self._matches(lambda code: self._tsquery([word], code, last_prefix=last))

    def any_match(self, words: Sequence[str]) -> Q:
        return self._matches(lambda code: self._tsquery(words, code, last_prefix=True))

    # --- the probe -------------------------------------------------------------

    def probe(self, articles: QuerySet) -> tuple[bool, list[str], list[str]]:
        """(some article has every word, the words some article has, the others),
        in one query of EXISTS subqueries that each stop at the first hit."""
        words = self.query.words
        checks = [articles.filter(self.strict_match())] + [
            articles.filter(self.word_match(word, last=i == len(words) - 1))
            for i, word in enumerate(words)
        ]
        parts, params = [], []
        for check in checks:
            sql, check_params = check.order_by().values("pk")[:1].query.sql_with_params()
            parts.append(f"EXISTS ({sql})")
            params.extend(check_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            found = cursor.fetchone()
        known = [word for word, hit in zip(words, found[1:], strict=True) if hit]
        unknown = [word for word, hit in zip(words, found[1:], strict=True) if not hit]
        return bool(found[0]), known, unknown

    # --- ranking -------------------------------------------------------------------

    def _rank(self, unknown: Sequence[str]):
        from django.contrib.postgres.search import SearchRank, TrigramStrictWordSimilarity

        ranks = [
            When(
                language=code,
                then=SearchRank(
                    F("search_document"),
                    self._tsquery(self.query.words, code, last_prefix=True),
                    normalization=Value(RANK_NORMALISATION),
                ),
            )
            for code in self.languages
        ]
        rank = Case(*ranks, default=Value(0.0), output_field=FloatField())
        if unknown:
            rank = rank + Value(TRIGRAM_WEIGHT) * TrigramStrictWordSimilarity(
                " ".join(unknown), "title"
            )
        return rank

    def _headline(self):
        from django.contrib.postgres.search import SearchHeadline

        headlines = [
            When(
                language=code,
                then=SearchHeadline(
                    "body",
                    self._tsquery(self.query.words, code, last_prefix=True),
                    config=config_for(code),
                    start_sel=text.HIT_START,
                    stop_sel=text.HIT_END,
                    max_words=text.SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            for code in self.languages
        ]
        return Case(*headlines, default=Value(""), output_field=TextField())

    def _ranked(
        self,
        articles: QuerySet,
        pools: list[tuple[Q, int]],
        unknown: Sequence[str],
        *,
        strict_first: bool = False,
    ) -> RankedResults:
        """Ranks every pool's candidates in one query (a UNION ALL of capped
        scans, each computing the rank of the rows it reads), best first."""
        rank = self._rank(unknown)
        if strict_first:
            # Far above any ts_rank, so every strict match ranks above the rest.
            rank = rank + Case(
                When(self.strict_match(), then=Value(10.0)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        # Each pool takes the first `size` matching rows the plan finds, unsorted:
        # sorting would rank every match, which is what the caps are there to avoid.
        parts = [
            articles.filter(condition)
            .order_by()
            .annotate(kb_rank=rank)
            .values_list("pk", "kb_rank")[:size]
            for condition, size in pools
        ]
        union = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
        best = {pk: score or 0.0 for pk, score in union}
        # Best first; equal ranks newest (highest id) first.
        ranked = sorted(best.items(), key=lambda item: (item[1], item[0]), reverse=True)
        return RankedResults(articles, ranked, self._headline() if self.headlines else None)

    def search(self, articles: QuerySet, *, fill: bool) -> "RankedResults | QuerySet":
        from django.contrib.postgres.lookups import TrigramWordSimilar

        every_word, known, unknown = self.probe(articles)
        pools: list[tuple[Q, int]] = []  # (condition, cap)
        if every_word:
            strict = self.strict_match()
            in_title = Q()
            for word in self.query.words:
                in_title &= _title_has(word)
            # Articles with every word in the title come first in line, so a
            # common word still finds the articles about it.
            pools.append((strict & in_title, 2 * self.pool))
            pools.append((strict, self.pool))
            if not fill:
                return self._ranked(articles, pools, [])
        if known:
            if len(known) >= 2:
                pools.append((self._pairs(known), self.pool))
            pools.append((self.any_match(known), self.pool))
        typos = [word for word in unknown if len(word) >= TRIGRAM_MIN_LETTERS]
        if typos:
            # `title %> word`, i.e. word <% title: read from the trigram index.
            near = Q()
            for word in typos:
                near |= Q(TrigramWordSimilar(F("title"), Value(word)))
            if 1 < len(self.query.words) <= PHRASE_WORDS:
                # "pasword reset" against "How to reset your password". Longer
                # phrases cost more trigram lookups than they bring.
                near |= Q(TrigramWordSimilar(F("title"), Value(" ".join(self.query.words))))
            pools.append((near, self.pool))
        if not pools:
            return articles.none()
        return self._ranked(articles, pools, typos, strict_first=every_word)


class _Fallback:
    """LIKE on crude stems: for SQLite, where there is no full-text search to lean on."""

    def __init__(self, query: ParsedQuery):
        self.phrase = " ".join(query.words)
        self.stems = list(dict.fromkeys(text.crude_stem(word) for word in query.words))

    @staticmethod
    def _anywhere(stem: str) -> Q:
        return Q(title__icontains=stem) | Q(summary__icontains=stem) | Q(body__icontains=stem)

    def _ranked(self, articles: QuerySet, condition: Q) -> QuerySet:
        coverage = sum(
            (Case(When(self._anywhere(s), then=Value(1)), default=Value(0)) for s in self.stems),
            Value(0),
        )
        in_title = sum(
            (Case(When(title__icontains=s, then=Value(3)), default=Value(0)) for s in self.stems),
            Case(When(title__icontains=self.phrase, then=Value(5)), default=Value(0)),
        )
        return (
            articles.filter(condition)
            .annotate(search_rank=Cast(coverage * 10 + in_title, FloatField()))
            .order_by("-search_rank", "-published_at", "-id")
        )

    def search(self, articles: QuerySet, *, fill: bool) -> QuerySet:
        every = Q()
        for stem in self.stems:
            every &= self._anywhere(stem)
        # Relaxed matches rank by how many words they have, so with `fill`
        # the articles with every word still come first.
        if not fill and articles.filter(every).exists():
            return self._ranked(articles, every)
        some = Q()
        for stem in self.stems:
            some |= self._anywhere(stem)
        return self._ranked(articles, some)
