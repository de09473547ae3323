"""Revision history: a revision per change through the service, diffs between
revisions for staff, and restoring an old revision as a new one."""

import pytest
from django.test import Client

from accounts.models import Role
from knowledge_base import services
from knowledge_base.models import Article, ArticleRevision
from tests import factories
from tests.knowledge_base.test_admin import INLINE_MANAGEMENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return factories.UserFactory(
        email="admin@example.com", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def edited_article(editor, password_article):
    """Three revisions: as created, a new step, and a new title."""
    password_article.body = password_article.body + "\n\nThe link works for three hours."
    services.article_save(actor=editor, article=password_article, changed=["body"])
    password_article.title = "Resetting a forgotten password"
    services.article_save(actor=editor, article=password_article, changed=["title"])
    return password_article


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_change_of_title_or_body_is_a_revision(editor, edited_article):
    revisions = list(edited_article.revisions.order_by("number"))

    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[0].title == "How to reset your password"
    assert "three hours" not in revisions[0].body
    assert "three hours" in revisions[1].body
    assert revisions[2].title == "Resetting a forgotten password"
    assert revisions[2].author == editor


def test_a_save_that_changes_neither_title_nor_body_is_no_revision(editor, password_article):
    password_article.internal = True
    services.article_save(actor=editor, article=password_article, changed=["internal"])

    assert password_article.revisions.count() == 1


def test_editing_in_the_admin_site_records_a_revision(editor, password_article):
    client = client_for(editor)

    response = client.post(
        f"/admin/knowledge_base/article/{password_article.pk}/change/",
        {
            "title": password_article.title,
            "slug": password_article.slug,
            "category": password_article.category_id,
            "language": "en",
            "summary": "",
            "body": "Choose **Forgot your password?** and follow the link.",
            "tags": "[]",
            "status": "published",
            **INLINE_MANAGEMENT,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    latest = password_article.revisions.order_by("-number").first()
    assert latest.number == 2
    assert latest.body == "Choose **Forgot your password?** and follow the link."
    assert latest.author == editor


def test_staff_see_the_history(agent, edited_article):
    page = client_for(agent).get("/kb/reset-your-password/revisions/").content.decode()

    assert "History of “Resetting a forgotten password”" in page
    assert 'href="/kb/reset-your-password/revisions/3/"' in page
    assert 'href="/kb/reset-your-password/revisions/2/"' in page
    assert "/restore/" not in page  # agents without the change permission read only


def test_the_diff_shows_removed_and_added_lines(agent, edited_article):
    response = client_for(agent).get("/kb/reset-your-password/revisions/2/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Revision 1 → 2" in page
    assert '<tr class="kb-diff-insert">' in page
    assert "+ The link works for three hours." in page
    assert '<tr class="kb-diff-delete">' not in page


def test_the_diff_can_compare_any_two_revisions_and_shows_title_changes(agent, edited_article):
    page = (
        client_for(agent)
        .get("/kb/reset-your-password/revisions/3/", {"against": "1"})
        .content.decode()
    )

    assert "Revision 1 → 3" in page
    assert "<del>How to reset your password</del>" in page
    assert "<ins>Resetting a forgotten password</ins>" in page
    assert "+ The link works for three hours." in page


def test_the_diff_escapes_what_authors_wrote(agent, editor, password_article):
    password_article.body = "<script>alert(1)</script>"
    services.article_save(actor=editor, article=password_article, changed=["body"])

    page = client_for(agent).get("/kb/reset-your-password/revisions/2/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("path", ["revisions/", "revisions/2/", "revisions/2/?against=abc"])
def test_customers_find_no_history(customer, edited_article, path):
    response = client_for(customer).get(f"/kb/reset-your-password/{path}")

    assert response.status_code == 404


def test_visitors_are_sent_to_log_in(client, edited_article):
    response = client.get("/kb/reset-your-password/revisions/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("number", [9, 0])
def test_an_unknown_revision_is_a_404(agent, edited_article, number):
    assert client_for(agent).get(f"/kb/reset-your-password/revisions/{number}/").status_code == 404


def test_an_editor_restores_an_old_revision_as_a_new_one(editor, edited_article):
    client = client_for(editor)

    response = client.post("/kb/reset-your-password/revisions/1/restore/")

    assert response.status_code == 302
    assert response.url == "/kb/reset-your-password/revisions/"
    article = Article.objects.get(pk=edited_article.pk)
    assert article.title == "How to reset your password"
    assert "three hours" not in article.body
    latest = article.revisions.order_by("-number").first()
    assert latest.number == 4
    assert latest.note == "Restored revision 1"
    assert latest.author == editor
    assert "Revision 1 is back, as a new revision." in client.get(response.url).content.decode()


def test_restoring_updates_what_search_finds(editor, edited_article, client):
    client_for(editor).post("/kb/reset-your-password/revisions/1/restore/")

    page = client.get("/kb/", {"q": "How to reset"}).content.decode()

    assert 'href="/kb/reset-your-password/"' in page


def test_agents_without_the_change_permission_cannot_restore(agent, edited_article):
    client = client_for(agent)

    response = client.post("/kb/reset-your-password/revisions/1/restore/", follow=True)

    assert "Only knowledge-base editors may restore revisions." in response.content.decode()
    assert Article.objects.get(pk=edited_article.pk).title == "Resetting a forgotten password"
    assert ArticleRevision.objects.filter(article=edited_article).count() == 3


def test_editors_see_the_history_of_drafts(editor, draft_article):
    response = client_for(editor).get("/kb/password-rules-draft/revisions/")

    assert response.status_code == 200
    assert "Password rules are changing" in response.content.decode()


def test_restoring_needs_a_post(editor, edited_article):
    response = client_for(editor).get("/kb/reset-your-password/revisions/1/restore/")

    assert response.status_code == 405
