"""Suggested articles on the agent's ticket page: the selector, the panel's
context and its template (the lead registers it as a ticket panel)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from knowledge_base import selectors
from tests import factories
from tests.knowledge_base.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund_articles(account_category):
    return [
        ArticleFactory(
            category=account_category,
            slug="request-a-refund",
            title="Requesting a refund",
            body="Ask for a refund within 30 days of delivery from the order page.",
        ),
        ArticleFactory(
            category=account_category,
            slug="refund-limits",
            title="Refund approval limits (agents)",
            body="Agents approve refunds up to 100 EUR.",
            internal=True,
        ),
        ArticleFactory(
            category=account_category,
            slug="damaged-order",
            title="What to do if your order arrives damaged",
            body="Send photos; we send a replacement or a refund.",
        ),
    ]


def panel_for(user, ticket) -> tuple[dict, str]:
    request = RequestFactory().get(f"/agent/tickets/{ticket.pk}/")
    request.user = user
    context = selectors.agent_panel_context(request, ticket)
    return context, render_to_string("knowledge_base/_agent_panel.html", context, request=request)


def test_it_suggests_articles_for_a_tickets_subject_and_body(agent, refund_articles):
    ticket = factories.TicketFactory(
        subject="Package arrived smashed",
        first_message="The box was damaged and the lamp is broken. I would like a refund.",
    )

    context, html = panel_for(agent, ticket)

    slugs = [s["article"].slug for s in context["kb_suggestions"]]
    assert slugs[0] == "damaged-order"
    assert "refund-limits" in slugs  # agents see internal articles too
    assert "Suggested articles" in html
    assert 'data-kb-copy="http://testserver/kb/damaged-order/"' in html
    # Internal articles are for reading, not for sending to customers.
    assert 'data-kb-copy="http://testserver/kb/refund-limits/"' not in html
    assert "internal" in html


def test_it_says_so_when_nothing_fits(agent, refund_articles):
    ticket = factories.TicketFactory(subject="Zeppelin", first_message="Airship tickets?")

    context, html = panel_for(agent, ticket)

    assert context["kb_suggestions"] == []
    assert "No article seems to fit this ticket." in html


def test_it_suggests_in_the_requesters_language(agent, refund_articles):
    ArticleFactory(
        category=refund_articles[0].category,
        slug="solicitar-reembolso",
        title="Solicitar un reembolso",
        body="Pide el reembolso en 30 días.",
        language="es",
        translation_of=refund_articles[0],
    )
    requester = factories.CustomerFactory(language="es")

    found = selectors.articles_suggested_for_ticket(
        user=agent, subject="refund please", body="", language=requester.language
    )

    slugs = [a.slug for a in found]
    assert "solicitar-reembolso" in slugs
    assert "request-a-refund" not in slugs  # one version per article


def test_customers_never_get_internal_articles_from_the_selector(customer, refund_articles):
    found = selectors.articles_suggested_for_ticket(
        user=customer, subject="refund", body="approve refunds agents", language="en"
    )

    assert "refund-limits" not in [a.slug for a in found]


def test_the_panel_reads_in_a_constant_number_of_queries(
    agent, refund_articles, django_assert_max_num_queries
):
    ticket = factories.TicketFactory(subject="Refund for a damaged order", first_message="Refund?")
    # The first public message (1); the search: probe, ranked candidates, their
    # rows (3, PostgreSQL; SQLite needs 1); translations in the requester's language (1).
    with django_assert_max_num_queries(5):
        panel_for(agent, ticket)
    for n in range(20):
        ArticleFactory(category=refund_articles[0].category, slug=f"refund-{n}", title="Refund")
    with django_assert_max_num_queries(5):
        context, _html = panel_for(agent, ticket)
    assert len(context["kb_suggestions"]) == 5
