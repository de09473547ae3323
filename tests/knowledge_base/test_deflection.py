"""Ticket deflection over HTTP: suggestions while a customer types a subject,
opening one, leaving it, and filing a ticket after all."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from knowledge_base import services
from knowledge_base.models import DeflectionSession
from tests.knowledge_base.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

SUGGEST = "/kb/suggest/"


@pytest.fixture
def billing(db):
    return CategoryFactory(slug="billing", name="Billing")


@pytest.fixture
def refund_article(billing):
    return ArticleFactory(
        category=billing,
        slug="request-a-refund",
        title="Requesting a refund",
        body="You can ask for a refund within 30 days of delivery. Open the order.",
    )


@pytest.fixture
def invoice_article(billing):
    return ArticleFactory(
        category=billing,
        slug="understanding-your-invoice",
        title="Understanding your invoice",
        body="Every invoice lists the subtotal, shipping and tax of the order.",
    )


@pytest.fixture
def customer_client(customer):
    client = Client()
    client.force_login(customer)
    return client


def suggest(client, q: str):
    return client.get(SUGGEST, {"q": q}, headers={"HX-Request": "true"})


def open_suggestion(client, page: str, slug: str):
    """Follows the suggested link to `slug` as the customer would."""
    href = re.search(rf'href="(/kb/{slug}/\?from=deflection[^"]*)"', page).group(1)
    return client.get(href.replace("&amp;", "&"))


def test_it_suggests_articles_for_a_typed_subject_as_an_html_fragment(
    customer_client, customer, refund_article, invoice_article
):
    response = suggest(customer_client, "I want a refund for my order")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "These articles may answer your question" in page
    session = DeflectionSession.objects.get(user=customer)
    assert f'href="/kb/request-a-refund/?from=deflection&amp;d={session.token}"' in page
    assert session.suggested[0] == refund_article.pk
    assert session.query == "I want a refund for my order"
    assert session.opened_at is None and not session.deflected
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_it_accepts_the_forms_subject_field_by_name(customer_client, refund_article):
    response = customer_client.get(SUGGEST, {"subject": "refund"})

    assert "/kb/request-a-refund/?from=deflection" in response.content.decode()


def test_it_suggests_at_most_five_articles(customer_client, billing):
    for n in range(8):
        ArticleFactory(category=billing, slug=f"refund-{n}", title=f"Refund question {n}")

    page = suggest(customer_client, "refund").content.decode()

    assert page.count("?from=deflection") == 5


def test_it_keeps_one_session_while_the_customer_types(
    customer_client, customer, refund_article, invoice_article
):
    suggest(customer_client, "refund")
    suggest(customer_client, "refund and invoice")

    session = DeflectionSession.objects.get(user=customer)
    assert session.query == "refund and invoice"
    assert set(session.suggested) == {refund_article.pk, invoice_article.pk}


@pytest.mark.parametrize("q", ["", "re", "zeppelin airship"])
def test_it_answers_an_empty_fragment_and_opens_no_session_when_nothing_fits(
    customer_client, refund_article, q
):
    response = suggest(customer_client, q)

    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert not DeflectionSession.objects.exists()


def test_visitors_and_agents_get_suggestions_without_a_session(client, agent, refund_article):
    anonymous = suggest(client, "refund").content.decode()
    client.force_login(agent)
    staff = suggest(client, "refund").content.decode()

    assert 'href="/kb/request-a-refund/?from=deflection"' in anonymous
    assert 'href="/kb/request-a-refund/?from=deflection"' in staff
    assert not DeflectionSession.objects.exists()


def test_customers_are_not_suggested_internal_articles(customer_client, billing):
    ArticleFactory(category=billing, slug="refund-limits", title="Refund limits", internal=True)

    assert "refund-limits" not in suggest(customer_client, "refund").content.decode()


def test_opening_a_suggested_article_marks_the_session_opened(
    customer_client, customer, refund_article
):
    page = suggest(customer_client, "refund").content.decode()

    response = open_suggestion(customer_client, page, "request-a-refund")

    assert response.status_code == 200
    session = DeflectionSession.objects.get(user=customer)
    assert session.opened_article == refund_article
    assert session.opened_at is not None
    html = response.content.decode()
    assert f'data-deflection-left="/kb/deflection/{session.token}/left/"' in html
    assert "knowledge_base/kb.js" in html


def test_a_link_with_someone_elses_token_opens_the_article_but_marks_nothing(
    customer_client, customer, other_customer, refund_article
):
    page = suggest(customer_client, "refund").content.decode()
    other = Client()
    other.force_login(other_customer)

    response = open_suggestion(other, page, "request-a-refund")

    assert response.status_code == 200
    assert "data-deflection-left" not in response.content.decode()
    assert DeflectionSession.objects.get(user=customer).opened_at is None


def test_leaving_an_opened_suggestion_marks_the_session_deflected(customer, refund_article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    page = suggest(client, "refund").content.decode()
    article_page = open_suggestion(client, page, "request-a-refund").content.decode()
    beacon = re.search(r'data-deflection-left="([^"]+)" data-csrf="([^"]+)"', article_page)

    # What navigator.sendBeacon sends on pagehide: the page's CSRF token as form data.
    response = client.post(beacon.group(1), {"csrfmiddlewaretoken": beacon.group(2)})

    assert response.status_code == 204
    session = DeflectionSession.objects.get(user=customer)
    assert session.deflected is True
    assert session.left_at is not None


def test_the_leave_beacon_needs_the_csrf_token(customer, refund_article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    page = suggest(client, "refund").content.decode()
    open_suggestion(client, page, "request-a-refund")
    token = DeflectionSession.objects.get(user=customer).token

    response = client.post(f"/kb/deflection/{token}/left/")

    assert response.status_code == 403
    assert not DeflectionSession.objects.get(user=customer).deflected


@pytest.mark.parametrize("who", ["anonymous", "other customer"])
def test_nobody_else_can_mark_a_session_left(
    customer_client, customer, other_customer, refund_article, who
):
    page = suggest(customer_client, "refund").content.decode()
    open_suggestion(customer_client, page, "request-a-refund")
    token = DeflectionSession.objects.get(user=customer).token
    client = Client()
    if who == "other customer":
        client.force_login(other_customer)

    response = client.post(f"/kb/deflection/{token}/left/")

    assert response.status_code == 404
    assert not DeflectionSession.objects.get(user=customer).deflected


def test_leaving_without_opening_a_suggestion_is_not_a_deflection(
    customer_client, customer, refund_article
):
    suggest(customer_client, "refund")
    token = DeflectionSession.objects.get(user=customer).token

    response = customer_client.post(f"/kb/deflection/{token}/left/")

    assert response.status_code == 204
    assert not DeflectionSession.objects.get(user=customer).deflected


def test_filing_a_ticket_in_the_same_sitting_means_it_was_not_deflected(
    customer_client, customer, refund_article
):
    page = suggest(customer_client, "refund").content.decode()
    open_suggestion(customer_client, page, "request-a-refund")
    token = DeflectionSession.objects.get(user=customer).token
    customer_client.post(f"/kb/deflection/{token}/left/")

    # What the portal calls once it has created the customer's ticket.
    marked = services.deflection_mark_filed(user=customer)
    # A later beacon (the article tab closed after filing) changes nothing.
    customer_client.post(f"/kb/deflection/{token}/left/")

    assert marked == 1
    session = DeflectionSession.objects.get(user=customer)
    assert session.deflected is False
    assert session.filed_at is not None


def test_filing_days_later_leaves_an_earlier_deflection_alone(
    customer_client, customer, refund_article
):
    page = suggest(customer_client, "refund").content.decode()
    open_suggestion(customer_client, page, "request-a-refund")
    token = DeflectionSession.objects.get(user=customer).token
    customer_client.post(f"/kb/deflection/{token}/left/")

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        marked = services.deflection_mark_filed(user=customer)

    assert marked == 0
    assert DeflectionSession.objects.get(user=customer).deflected is True


def test_a_new_sitting_after_filing_starts_a_new_session(customer_client, customer, refund_article):
    suggest(customer_client, "refund")
    services.deflection_mark_filed(user=customer)

    suggest(customer_client, "refund please")

    assert DeflectionSession.objects.filter(user=customer).count() == 2


def test_filing_by_someone_who_is_not_a_customer_marks_nothing(agent):
    assert services.deflection_mark_filed(user=agent) == 0


def test_suggestions_take_a_constant_number_of_queries(
    customer_client, billing, django_assert_max_num_queries
):
    for n in range(3):
        ArticleFactory(category=billing, slug=f"refund-{n}", title=f"Refund question {n}")
    suggest(customer_client, "refund")  # the session row exists from here on
    # Session and user (2); the search: probe, ranked candidates, their rows (3,
    # PostgreSQL; SQLite needs 1); translations in the reader's language (1);
    # the deflection session: savepoint, locked read, update, release (4).
    with django_assert_max_num_queries(10):
        suggest(customer_client, "refund question")
    for n in range(3, 30):
        ArticleFactory(category=billing, slug=f"refund-{n}", title=f"Refund question {n}")
    with django_assert_max_num_queries(10):
        page = suggest(customer_client, "refund question").content.decode()
    assert page.count("?from=deflection") == 5
