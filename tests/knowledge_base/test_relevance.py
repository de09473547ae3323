"""Does search put the right article near the top? 25 queries over 56 articles.

On PostgreSQL (full-text search, stemming per language, unaccent and trigram
typo tolerance) the expected article is in the top three for every query. On
SQLite (LIKE on crude stems) it is in the top five for every query without a
typo; typos and missing accents are PostgreSQL's job.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from knowledge_base import selectors
from tests.knowledge_base import articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    return articles.load()


def ranked_slugs(q: str, n: int) -> list[str]:
    return [a.slug for a in selectors.article_search(user=AnonymousUser(), q=q)[:n]]


def test_the_corpus_is_big_enough_and_bilingual():
    languages = [doc.language for doc in articles.ARTICLES]
    assert len(languages) >= 50
    assert languages.count("es") >= 15
    assert len(articles.CASES) >= 20
    assert sum(case.typo for case in articles.CASES) >= 2


@pytest.mark.parametrize("case", articles.CASES, ids=lambda case: case.query)
def test_the_expected_article_ranks_in_the_top_three_on_postgresql(corpus, case):
    if connection.vendor != "postgresql":
        pytest.skip("Full-text ranking needs PostgreSQL; the SQLite fallback is tested below.")

    top = ranked_slugs(case.query, 3)

    assert case.expected in top, f"{case.query!r}: {top}"


@pytest.mark.parametrize(
    "case", [c for c in articles.CASES if not c.typo], ids=lambda case: case.query
)
def test_the_expected_article_ranks_in_the_top_five_on_sqlite(corpus, case):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL has the stricter top-three test above.")

    top = ranked_slugs(case.query, 5)

    assert case.expected in top, f"{case.query!r}: {top}"
