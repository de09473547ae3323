"""axe-core on the main pages: no "serious" or "critical" violations, on desktop and phone."""

import pytest

from tests.browser.conftest import axe_violations, off_the_event_loop
from tests.web.conftest import upload
from tickets import services
from tickets.models import Priority

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_ticket(customer, agent, team):
    """A ticket with everything the pages can show: replies, a note, events, files, tags."""
    return off_the_event_loop(_make_busy_ticket, customer, agent, team)


def _make_busy_ticket(customer, agent, team):
    ticket = services.ticket_create(
        actor=customer,
        requester=customer,
        subject="The app crashes on login",
        body="Since the update, see https://example.com/status",
        attachments=[upload("screenshot.png", b"\x89PNG", "image/png")],
    )
    services.message_add(actor=agent, ticket=ticket, body="Which version do you use?")
    services.message_add(actor=agent, ticket=ticket, body="Known bug #512.", internal=True)
    services.ticket_update(
        actor=agent, ticket=ticket, priority=Priority.HIGH, assignee=agent, team=team, tags=["app"]
    )
    services.ticket_create(actor=customer, requester=customer, subject="Billing question", body="?")
    return ticket


def check(page, path, found):
    page.goto(path)
    assert page.locator("main h1").count() == 1, f"{path} has no single h1"
    violations = axe_violations(page)
    if violations:
        found[path] = violations


def test_the_main_pages_have_no_serious_accessibility_violations(
    new_page, customer, agent, busy_ticket
):
    found: dict[str, list] = {}
    check(new_page(), "/accounts/login/", found)
    portal = new_page(customer)
    for path in ("/portal/", "/portal/new/", f"/portal/tickets/{busy_ticket.pk}/"):
        check(portal, path, found)
    workspace = new_page(agent)
    for path in ("/agent/", f"/agent/tickets/{busy_ticket.pk}/"):
        check(workspace, path, found)

    assert found == {}


@pytest.mark.parametrize("who", ["customer", "agent"])
def test_the_pages_fit_a_phone_screen(new_page, customer, agent, busy_ticket, who):
    page = new_page(customer if who == "customer" else agent)
    page.set_viewport_size({"width": 375, "height": 740})
    paths = {
        "customer": ["/portal/", "/portal/new/", f"/portal/tickets/{busy_ticket.pk}/"],
        "agent": ["/agent/", f"/agent/tickets/{busy_ticket.pk}/"],
    }[who]

    for path in paths:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        assert axe_violations(page) == [], path
