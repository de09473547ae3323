"""The demo content the lead's seed_demo command loads."""

import pytest

from knowledge_base.demo import seed_articles
from knowledge_base.models import Article, Category

pytestmark = pytest.mark.django_db


def test_it_seeds_articles_once(agent, api_client):
    first = seed_articles(author=agent)
    second = seed_articles(author=agent)

    assert first == Article.objects.count() >= 12
    assert second == 0
    assert 3 <= Category.objects.count() <= 4
    assert Article.objects.filter(language="es", status="published").count() >= 2
    assert Article.objects.filter(internal=True).exists()
    assert all(a.author == agent for a in Article.objects.all())


def test_the_seeded_password_article_is_found_by_search(agent, api_client):
    seed_articles(author=agent)

    response = api_client.get("/api/v1/kb/articles/", {"q": "password"})

    assert response.json()["results"][0]["slug"] == "reset-your-password"
    assert api_client.get("/kb/reset-your-password/").status_code == 200
