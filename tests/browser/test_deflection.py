"""Self-service deflection in a real browser: while a customer types a ticket subject,
matching articles appear; the customer opens one, leaves, and a deflection is recorded."""

import time

import pytest
from playwright.sync_api import expect

from knowledge_base.models import DeflectionSession
from tests.browser.conftest import off_the_event_loop
from tests.knowledge_base.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_suggested_article_answers_the_customer_who_then_leaves_without_filing(
    new_page, customer
):
    off_the_event_loop(
        ArticleFactory,
        title="Reset your password",
        slug="reset-your-password",
        body="Open the login page, choose 'Forgot password' and follow the emailed link.",
    )
    page = new_page(customer)

    # Given the new-ticket form, when the customer types a subject
    page.goto("/portal/new/")
    page.get_by_label("Subject").press_sequentially("forgot my password", delay=30)

    # Then a matching article appears under the field
    suggestion = page.locator("#kb-suggestions").get_by_role("link", name="Reset your password")
    expect(suggestion).to_be_visible()

    # When the customer opens it (a new tab) and then leaves it without filing
    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    expect(article.get_by_role("heading", name="Reset your password")).to_be_visible()
    article.close(run_before_unload=True)
    page.close(run_before_unload=True)

    # Then the visit counts as deflected
    assert wait_for(
        lambda: DeflectionSession.objects.filter(user=customer, deflected=True).exists()
    ), list(DeflectionSession.objects.values())
    session = DeflectionSession.objects.get(user=customer)
    assert session.opened_article.slug == "reset-your-password"
    assert session.filed_at is None
