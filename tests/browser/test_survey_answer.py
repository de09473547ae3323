"""A customer answers a survey in a real browser from the emailed link, on a phone-sized
screen, then changes the answer. Every browser test lives in tests/browser, sharing one Chromium."""

import os
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from surveys import services
from surveys.models import SurveyResponse
from tests import factories
from tests.browser.conftest import axe_violations
from tests.surveys.conftest import rating_links

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def emailed_survey(customer, settings, live_server):
    """A survey the dispatch emailed, its links pointing at the live server."""
    assert os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE") == "true"  # set by the browser fixture
    settings.SITE_URL = live_server.url
    settings.SURVEY_QUIET_START_HOUR = settings.SURVEY_QUIET_END_HOUR = 0  # real time: any hour
    ticket = factories.TicketFactory(
        requester=customer, subject="Blender makes a grinding noise", status="solved"
    )
    survey = services.survey_create(
        ticket=ticket, scheduled_for=timezone.now() - timedelta(minutes=1)
    )
    services.survey_dispatch()
    [message] = mail.outbox
    return survey, message


def test_a_customer_rates_from_the_email_then_comments_and_changes_the_answer(
    phone, emailed_survey, live_server
):
    from playwright.sync_api import expect

    survey, message = emailed_survey

    # Given the email's one-click link for "4"
    phone.goto(live_server.url + rating_links(message, site=live_server.url)[4])

    # Then the score is recorded and the page offers a comment box
    expect(phone.locator(".message-success")).to_contain_text("We have your score of 4")
    expect(phone.get_by_label("4", exact=True)).to_be_checked()
    expect(
        phone.get_by_role("group", name="How satisfied are you with the help you received?")
    ).to_be_visible()
    assert SurveyResponse.objects.get(survey=survey).score == 4
    # It fits a phone: no sideways scrolling, and no serious accessibility problems.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(phone) == []

    # When they add a comment
    phone.get_by_label("Anything you would like to add?").fill(
        "Quick, thanks. The courier was late."
    )
    phone.get_by_role("button", name="Save changes").click()
    expect(phone.locator(".message-success")).to_contain_text("Your answer is updated")

    # And later change their mind about the score
    phone.get_by_text("2", exact=True).click()
    phone.get_by_role("button", name="Save changes").click()

    # Then the answer reads 2 with the comment kept, in the page and in the database
    expect(phone.locator(".message-success")).to_contain_text("Your answer is updated")
    expect(phone.get_by_label("2", exact=True)).to_be_checked()
    expect(phone.get_by_label("Anything you would like to add?")).to_have_value(
        "Quick, thanks. The courier was late."
    )
    answer = SurveyResponse.objects.get(survey=survey)
    assert (answer.score, answer.comment) == (2, "Quick, thanks. The courier was late.")
    # ... and a 2 is low: service recovery hears of it.
    assert survey.ticket.events.filter(type="survey.low_score", data__score=2).exists()


def test_a_tampered_link_shows_a_friendly_page(phone, emailed_survey, live_server):
    _survey, message = emailed_survey
    link = rating_links(message, site=live_server.url)[5]

    response = phone.goto(live_server.url + link.replace("/rate/", "x/rate/"))

    assert response.status == 400
    assert phone.get_by_role("heading", level=1).inner_text() == "This link does not work"
