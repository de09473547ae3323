"""Searches that find nothing are counted as knowledge gaps."""

import pytest

from knowledge_base.models import KnowledgeGap

pytestmark = pytest.mark.django_db


def gaps() -> list[tuple[str, str, int]]:
    return list(KnowledgeGap.objects.order_by("query").values_list("query", "language", "count"))


def test_a_search_that_finds_nothing_is_a_gap(client, password_article):
    client.get("/kb/", {"q": "  Zeppelin   TICKETS? "})

    assert gaps() == [("zeppelin tickets", "en", 1)]


def test_the_same_search_again_counts_up(client, password_article):
    client.get("/kb/", {"q": "zeppelin tickets"})
    first = KnowledgeGap.objects.get()
    client.get("/kb/", {"q": "Zeppelin, tickets!"})

    gap = KnowledgeGap.objects.get()
    assert gap.count == 2
    assert gap.last_seen >= first.last_seen
    assert gap.first_seen == first.first_seen


def test_gaps_are_counted_per_language(client, password_article):
    client.get("/kb/", {"q": "zeppelin"})
    client.get("/kb/", {"q": "zeppelin", "language": "es"})
    client.get("/kb/", {"q": "zeppelin"}, headers={"Accept-Language": "es"})

    assert gaps() == [("zeppelin", "en", 1), ("zeppelin", "es", 2)]


def test_a_search_that_finds_something_is_no_gap(client, password_article):
    client.get("/kb/", {"q": "password"})

    assert gaps() == []


def test_a_search_of_the_api_that_finds_nothing_is_a_gap(api_client, password_article):
    response = api_client.get("/api/v1/kb/articles/", {"q": "zeppelin", "language": "es"})

    assert response.json()["count"] == 0
    assert gaps() == [("zeppelin", "es", 1)]


@pytest.mark.parametrize("q", ["!", "x", "& | !"])
def test_queries_without_words_are_not_counted(client, password_article, q):
    client.get("/kb/", {"q": q})

    assert gaps() == []
