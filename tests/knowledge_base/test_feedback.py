"""“Was this article helpful?”: a vote, then an optional comment; one answer per reader."""

import pytest
from django.test import Client

from knowledge_base.models import ArticleFeedback

pytestmark = pytest.mark.django_db

URL = "/kb/reset-your-password/feedback/"
HTMX = {"HX-Request": "true"}


def test_the_article_page_asks_whether_it_helped(client, password_article):
    page = client.get("/kb/reset-your-password/").content.decode()

    assert "Was this article helpful?" in page
    assert f'hx-post="{URL}"' in page
    assert 'name="helpful" value="yes"' in page
    assert 'name="helpful" value="no"' in page


def test_a_visitor_votes_and_then_explains(client, password_article):
    vote = client.post(URL, {"helpful": "no"}, headers=HTMX)

    assert vote.status_code == 200
    fragment = vote.content.decode()
    assert "<html" not in fragment
    assert "Thank you. We will work on this article." in fragment
    assert "What were you looking for? (optional)" in fragment
    assert '<input type="hidden" name="helpful" value="no">' in fragment

    comment = client.post(
        URL, {"helpful": "no", "comment": "Nothing about SMS codes."}, headers=HTMX
    )

    assert "Thank you: we read every comment." in comment.content.decode()
    feedback = ArticleFeedback.objects.get()
    assert feedback.helpful is False
    assert feedback.comment == "Nothing about SMS codes."
    assert feedback.user is None
    assert feedback.session_key == client.session.session_key


def test_a_second_vote_replaces_the_first(client, password_article):
    client.post(URL, {"helpful": "no", "comment": "Too short."}, headers=HTMX)
    client.post(URL, {"helpful": "yes"}, headers=HTMX)

    feedback = ArticleFeedback.objects.get()
    assert feedback.helpful is True
    assert feedback.comment == ""  # the comment went with the old answer


def test_different_visitors_each_have_their_vote(password_article):
    for _visitor in range(2):
        Client().post(URL, {"helpful": "yes"}, headers=HTMX)

    assert ArticleFeedback.objects.filter(helpful=True).count() == 2


def test_a_signed_in_customer_votes_once_across_devices(customer, password_article):
    for helpful in ("yes", "no"):
        device = Client()
        device.force_login(customer)
        device.post(URL, {"helpful": helpful}, headers=HTMX)

    feedback = ArticleFeedback.objects.get()
    assert feedback.user == customer
    assert feedback.helpful is False
    assert feedback.session_key == ""


def test_the_page_remembers_the_readers_vote(client, password_article):
    client.post(URL, {"helpful": "yes"}, headers=HTMX)

    page = client.get("/kb/reset-your-password/").content.decode()

    assert "Thank you! We are glad it helped." in page
    assert "Anything we could add? (optional)" in page


def test_without_htmx_it_redirects_back_to_the_article(client, password_article):
    response = client.post(URL, {"helpful": "yes"})

    assert response.status_code == 302
    assert response.url == "/kb/reset-your-password/#feedback"
    assert ArticleFeedback.objects.filter(helpful=True).count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"helpful": "maybe"}, {"helpful": "no", "comment": "x" * 1001}]
)
def test_it_refuses_bad_feedback_without_an_error_page(client, password_article, data):
    response = client.post(URL, data, headers=HTMX)

    assert response.status_code == 400
    assert "Was this article helpful?" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_it_needs_the_csrf_token(password_article):
    client = Client(enforce_csrf_checks=True)

    assert client.post(URL, {"helpful": "yes"}).status_code == 403


def test_customers_cannot_rate_internal_articles(customer, internal_article):
    client = Client()
    client.force_login(customer)

    response = client.post("/kb/locked-accounts/feedback/", {"helpful": "yes"}, headers=HTMX)

    assert response.status_code == 404
    assert not ArticleFeedback.objects.exists()


def test_it_answers_get_with_405(client, password_article):
    assert client.get(URL).status_code == 405
