"""Editors write articles in the admin site, through the same service as everyone."""

import pytest

from accounts.models import Role
from knowledge_base.models import Article
from tests import factories

pytestmark = pytest.mark.django_db

# The article form carries two inline formsets: files and (read-only) revisions.
INLINE_MANAGEMENT = {
    f"{prefix}-{key}": value
    for prefix in ("attachments", "revisions")
    for key, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    )
}


@pytest.fixture
def admin_client(client):
    admin = factories.UserFactory(
        email="admin@example.com", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    client.user = admin
    return client


def test_it_publishes_an_article_from_the_admin_site(admin_client, account_category):
    response = admin_client.post(
        "/admin/knowledge_base/article/add/",
        {
            "title": "Locked out?",
            "slug": "locked-out",
            "category": account_category.pk,
            "language": "en",
            "summary": "",
            "body": "Wait **15 minutes** and try again.",
            "tags": '["login"]',
            "status": "published",
            **INLINE_MANAGEMENT,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="locked-out")
    assert article.published_at is not None
    assert article.author == admin_client.user
    assert admin_client.get("/kb/locked-out/").status_code == 200


def test_it_shows_the_admin_lists(admin_client, password_article):
    for path in (
        "/admin/knowledge_base/article/",
        "/admin/knowledge_base/category/",
        "/admin/knowledge_base/section/",
        "/admin/knowledge_base/knowledgegap/",
        "/admin/knowledge_base/articlefeedback/",
        "/admin/knowledge_base/deflectionsession/",
        f"/admin/knowledge_base/article/{password_article.pk}/change/",
        "/admin/autocomplete/?app_label=knowledge_base"
        "&model_name=article&field_name=translation_of&term=pass",
        "/admin/surveys/survey/",
        "/admin/surveys/surveyresponse/",
    ):
        assert admin_client.get(path).status_code == 200, path
