"""The agent workspace: queues and the ticket page."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.web.conftest import upload
from tickets import extensions, services
from tickets.models import Attachment, Channel, Priority, Status, TicketEvent

pytestmark = pytest.mark.django_db


def references(html: str) -> list[str]:
    return re.findall(r'<span class="ref">(HD-\d+)</span>', html)


# --- queues -----------------------------------------------------------------------------


def test_it_shows_all_open_tickets_by_default(agent_client, agent, ticket):
    solved = factories.TicketFactory(status=Status.SOLVED)

    response = agent_client.get(reverse("agent:queue"))

    html = response.content.decode()
    assert response.status_code == 200
    assert references(html) == [ticket.reference]
    assert solved.reference not in html
    assert 'aria-current="page">All open' in html


def test_it_shows_the_named_queues(agent_client, agent, team):
    mine = factories.TicketFactory(assignee=agent)
    unassigned = factories.TicketFactory()
    teams = factories.TicketFactory(team=team, assignee=factories.AgentFactory())
    elsewhere = factories.TicketFactory(
        team=factories.TeamFactory(), assignee=factories.AgentFactory()
    )
    solved_mine = factories.TicketFactory(assignee=agent, status=Status.SOLVED)

    def queue(view):
        return references(agent_client.get(reverse("agent:queue"), {"view": view}).content.decode())

    assert queue("mine") == [mine.reference]
    assert queue("unassigned") == [unassigned.reference]
    assert queue("team") == [teams.reference]
    assert set(queue("open")) == {t.reference for t in (mine, unassigned, teams, elsewhere)}
    assert solved_mine.reference in queue("recent")


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"status": "pending"}, "pending"),
        ({"priority": "urgent"}, "urgent"),
        ({"channel": "email"}, "email"),
        ({"category": "billing"}, "billing"),
        ({"q": "refund"}, "refund"),
        ({"q": "ZOE@"}, "zoe"),
    ],
)
def test_it_filters_the_queue(agent_client, filters, expected):
    tickets = {
        "pending": factories.TicketFactory(status=Status.PENDING),
        "urgent": factories.TicketFactory(priority=Priority.URGENT),
        "email": factories.TicketFactory(channel=Channel.EMAIL),
        "billing": factories.TicketFactory(category="billing"),
        "refund": factories.TicketFactory(subject="Refund please"),
        "zoe": factories.TicketFactory(
            requester=factories.CustomerFactory(email="zoe@example.org")
        ),
    }

    html = agent_client.get(reverse("agent:queue"), {"view": "open", **filters}).content.decode()

    assert references(html) == [tickets[expected].reference]
    assert "Clear filters" in html


def test_it_finds_a_ticket_by_reference(agent_client):
    wanted, _other = factories.TicketFactory(), factories.TicketFactory()

    html = agent_client.get(reverse("agent:queue"), {"q": wanted.reference}).content.decode()

    assert references(html) == [wanted.reference]


def test_it_ignores_filter_values_it_does_not_know(agent_client, ticket):
    response = agent_client.get(
        reverse("agent:queue"), {"view": "bogus", "status": "nope", "sort": "DROP", "page": "x"}
    )

    assert response.status_code == 200
    assert references(response.content.decode()) == [ticket.reference]


def test_it_sorts_the_queue(agent_client):
    now = timezone.now()
    low = factories.TicketFactory(priority=Priority.LOW, updated_at=now)
    urgent = factories.TicketFactory(
        priority=Priority.URGENT, updated_at=now - timezone.timedelta(days=2)
    )
    high = factories.TicketFactory(
        priority=Priority.HIGH, updated_at=now - timezone.timedelta(days=1)
    )

    def order(sort):
        return references(agent_client.get(reverse("agent:queue"), {"sort": sort}).content.decode())

    assert order("updated") == [low.reference, high.reference, urgent.reference]
    assert order("oldest") == [urgent.reference, high.reference, low.reference]
    assert order("priority") == [urgent.reference, high.reference, low.reference]


def test_it_pages_the_queue_by_25(agent_client, customer):
    factories.TicketFactory.create_batch(27, requester=customer)

    first = agent_client.get(reverse("agent:queue")).content.decode()
    second = agent_client.get(reverse("agent:queue"), {"page": 2}).content.decode()

    assert len(references(first)) == 25
    assert len(references(second)) == 2
    assert "27 tickets" in first
    assert "Page 2 of 2" in second


def test_it_sends_htmx_only_the_results(agent_client, ticket):
    response = agent_client.get(reverse("agent:queue"), {"q": "printer"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert 'class="filters"' not in html
    assert references(html) == [ticket.reference]
    assert "HX-Request" in response["Vary"]


# --- the ticket page ----------------------------------------------------------------------


def test_it_shows_the_whole_timeline(agent_client, agent, customer, ticket):
    services.message_add(actor=agent, ticket=ticket, body="Have you tried water?")
    services.message_add(actor=agent, ticket=ticket, body="VIP, be gentle", internal=True)
    services.ticket_update(actor=agent, ticket=ticket, priority=Priority.URGENT, assignee=agent)
    services.message_add(actor=customer, ticket=ticket, body="Water made it worse.")

    html = agent_client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()

    bodies = [
        "Smoke everywhere.",
        "Have you tried water?",
        "VIP, be gentle",
        "Water made it worse.",
    ]
    positions = [html.index(body) for body in bodies]
    assert positions == sorted(positions)
    assert html.count('class="entry entry-customer"') == 2
    assert html.count('class="entry entry-reply"') == 1
    assert html.count('class="entry entry-note"') == 1
    assert "Internal note</span>" in html
    assert "Alex Agent changed the priority from Normal to Urgent." in html
    assert "Alex Agent assigned the ticket to Alex Agent." in html
    assert "Alex Agent changed the status from New to Open." in html


def test_it_lists_the_customers_other_tickets(agent_client, customer, ticket):
    earlier = services.ticket_create(
        actor=customer, requester=customer, subject="Old issue", body="x"
    )
    stranger = factories.TicketFactory(subject="Someone else")

    html = agent_client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()

    assert "Old issue" in html
    assert reverse("agent:ticket", args=[earlier.pk]) in html
    assert "Someone else" not in html
    assert stranger.reference not in html


def test_a_public_reply_reaches_the_customer_by_email(
    agent_client, customer, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("agent:reply", args=[ticket.pk]),
            {
                "body": "We are sending a new printer.",
                "attachments": [upload("label.pdf", b"%PDF")],
            },
            follow=True,
        )

    html = response.content.decode()
    assert "Reply sent to customer@example.com." in html
    assert "We are sending a new printer." in html
    assert "label.pdf" in html
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert Attachment.objects.get().message.body == "We are sending a new printer."


def test_an_internal_note_is_not_emailed(agent_client, ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("agent:reply", args=[ticket.pk]),
            {"body": "Check the warranty first.", "internal": "on"},
            follow=True,
        )

    assert "Internal note added." in response.content.decode()
    assert mail.outbox == []
    note = ticket.messages.get(internal=True)
    assert note.body == "Check the warranty first."
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_it_replies_without_a_full_page_for_htmx(agent_client, ticket):
    post = agent_client.post(
        reverse("agent:reply", args=[ticket.pk]), {"body": "Quick one"}, HTTP_HX_REQUEST="true"
    )
    fragment = agent_client.get(post["Location"], HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in fragment
    assert "Quick one" in fragment
    assert "Reply sent to" in fragment


def test_it_rerenders_an_empty_reply_with_its_error(agent_client, ticket):
    response = agent_client.post(reverse("agent:reply", args=[ticket.pk]), {"body": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def properties(ticket, **changes) -> dict:
    """What the properties form posts: every field, its initial value, and the changes."""
    initial = {
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category,
        "assignee": ticket.assignee_id or "",
        "team": ticket.team_id or "",
        "tags": ", ".join(ticket.tags.values_list("name", flat=True)),
    }
    return {**initial, **{f"initial-{k}": v for k, v in initial.items()}, **changes}


def test_it_changes_the_ticket_properties(agent_client, agent, team, ticket):
    lead = factories.LeadFactory(full_name="Lee Lead")

    response = agent_client.post(
        reverse("agent:update", args=[ticket.pk]),
        properties(
            ticket,
            status="pending",
            priority="high",
            category="billing",
            assignee=lead.pk,
            team=team.pk,
            tags="VIP, refund",
        ),
        follow=True,
    )

    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.category) == ("pending", "high", "billing")
    assert (ticket.assignee, ticket.team) == (lead, team)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["refund", "vip"]
    html = response.content.decode()
    assert f"Ticket {ticket.reference} updated." in html
    assert "Alex Agent assigned the ticket to Lee Lead." in html
    assert "Alex Agent moved the ticket to the Support team." in html
    assert "Alex Agent added the tags vip, refund." in html


def test_it_changes_only_what_this_agent_changed(agent_client, agent, manager, ticket):
    page_as_loaded = properties(ticket)
    services.ticket_update(actor=manager, ticket=ticket, priority=Priority.URGENT)

    agent_client.post(
        reverse("agent:update", args=[ticket.pk]), {**page_as_loaded, "status": "pending"}
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert ticket.priority == Priority.URGENT  # the stale form did not undo the manager's change


def test_it_assigns_the_ticket_to_me(agent_client, agent, ticket):
    response = agent_client.post(
        reverse("agent:update", args=[ticket.pk]),
        {"assignee": agent.pk, "initial-assignee": ""},
        follow=True,
    )

    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert ticket.status == Status.NEW
    assert "Assign to me" not in response.content.decode()


def test_it_says_so_when_nothing_changed(agent_client, ticket):
    response = agent_client.post(
        reverse("agent:update", args=[ticket.pk]), properties(ticket), follow=True
    )

    assert "Nothing changed." in response.content.decode()
    assert not TicketEvent.objects.filter(ticket=ticket, type="ticket.status_changed").exists()


def test_it_refuses_a_move_the_workflow_forbids(agent_client, agent, ticket):
    services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)
    ticket.refresh_from_db()

    response = agent_client.post(
        reverse("agent:update", args=[ticket.pk]), properties(ticket, status="pending")
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED


def test_it_only_assigns_staff(agent_client, ticket):
    customer = factories.CustomerFactory()

    response = agent_client.post(
        reverse("agent:update", args=[ticket.pk]), properties(ticket, assignee=customer.pk)
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_it_puts_a_service_refusal_on_the_form(agent_client, ticket):
    too_many = ", ".join(f"tag{n}" for n in range(25))

    response = agent_client.post(
        reverse("agent:update", args=[ticket.pk]), properties(ticket, tags=too_many)
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "At most 20 tags." in html
    assert 'id="id_tags_error"' in html
    assert not ticket.tags.exists()


def test_it_reports_a_conflict_on_a_closed_ticket(agent_client, agent, ticket):
    services.ticket_update(actor=agent, ticket=ticket, status=Status.CLOSED)

    response = agent_client.post(reverse("agent:reply", args=[ticket.pk]), {"body": "Hello"})

    assert response.status_code == 409
    assert "This ticket is closed" in response.content.decode()
    assert ticket.messages.count() == 1


# --- what other apps plug in (tickets.extensions) ---------------------------------------


def test_it_offers_and_applies_queue_filters_other_apps_register(agent_client, monkeypatch):
    flagged, _other = factories.TicketFactory(), factories.TicketFactory()
    monkeypatch.setitem(
        extensions._queue_filters,
        "flag",
        extensions.QueueFilter(
            name="flag",
            label="Flagged",
            choices=(("", "Any"), ("yes", "Only flagged")),
            apply=lambda tickets, value: tickets.filter(pk=flagged.pk),
        ),
    )

    page = agent_client.get(reverse("agent:queue")).content.decode()
    narrowed = agent_client.get(reverse("agent:queue"), {"flag": "yes"}).content.decode()

    assert '<select name="flag" id="id_flag">' in page
    assert references(narrowed) == [flagged.reference]
    assert "Clear filters" in narrowed


def test_it_shows_panels_other_apps_register(agent_client, ticket, monkeypatch):
    monkeypatch.setitem(
        extensions._panels,
        "demo",
        extensions.Panel(
            name="demo",
            template="tickets/_status_badge.html",
            context=lambda request, t: {"ticket": t},
        ),
    )

    html = agent_client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()

    assert '<div class="card"><span class="badge badge-status badge-new">New</span>' in html
