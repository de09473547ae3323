"""The customer portal: listing, filing, replying and closing the loop."""

import pytest
from django.urls import reverse

from tests import factories
from tests.web.conftest import upload
from tickets import services
from tickets.models import Attachment, Status, Ticket

pytestmark = pytest.mark.django_db


def test_it_lists_my_tickets_with_their_status(customer_client, customer, other_customer, agent):
    mine = services.ticket_create(
        actor=customer, requester=customer, subject="Late parcel", body="x"
    )
    services.ticket_update(actor=agent, ticket=mine, status=Status.PENDING)
    services.ticket_create(
        actor=other_customer, requester=other_customer, subject="Not yours", body="x"
    )

    response = customer_client.get(reverse("portal:tickets"))

    html = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in html
    assert "Late parcel" in html
    assert "Pending customer" in html
    assert "Not yours" not in html


def test_it_invites_a_customer_without_tickets_to_open_one(customer_client):
    html = customer_client.get(reverse("portal:tickets")).content.decode()

    assert "You have no tickets yet" in html
    assert reverse("portal:new") in html


def test_it_files_a_ticket_with_attachments(customer_client, customer):
    response = customer_client.post(
        reverse("portal:new"),
        {
            "subject": "Invoice is wrong",
            "body": "I was charged twice.",
            "attachments": [upload("invoice.pdf", b"%PDF-1.4", "application/pdf"), upload()],
        },
        follow=True,
    )

    ticket = Ticket.objects.get()
    assert response.redirect_chain == [(reverse("portal:ticket", args=[ticket.pk]), 302)]
    assert (ticket.requester, ticket.subject, ticket.channel) == (
        customer,
        "Invoice is wrong",
        "web",
    )
    assert sorted(Attachment.objects.values_list("filename", flat=True)) == [
        "invoice.pdf",
        "notes.txt",
    ]
    html = response.content.decode()
    assert f"Its reference is {ticket.reference}" in html
    assert "I was charged twice." in html
    assert "invoice.pdf" in html


def test_it_shows_what_is_missing_when_filing(customer_client):
    response = customer_client.post(reverse("portal:new"), {"subject": "", "body": "Help"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_it_puts_a_service_error_on_the_form(customer_client, settings):
    settings.MAX_ATTACHMENTS_PER_MESSAGE = 1

    response = customer_client.post(
        reverse("portal:new"),
        {
            "subject": "Photos",
            "body": "See attached",
            "attachments": [upload("a.txt"), upload("b.txt")],
        },
    )

    assert response.status_code == 400
    assert "At most 1 attachments per message." in response.content.decode()
    assert not Ticket.objects.exists()


def test_it_adds_my_reply_to_the_conversation(customer_client, ticket):
    response = customer_client.post(
        reverse("portal:reply", args=[ticket.pk]), {"body": "It is still smoking."}, follow=True
    )

    html = response.content.decode()
    assert "Your reply was added." in html
    assert "It is still smoking." in html
    assert list(ticket.messages.values_list("body", flat=True)) == [
        "Smoke everywhere.",
        "It is still smoking.",
    ]


def test_it_replies_without_a_full_page_for_htmx(customer_client, ticket):
    post = customer_client.post(
        reverse("portal:reply", args=[ticket.pk]), {"body": "Any news?"}, HTTP_HX_REQUEST="true"
    )
    # htmx follows the redirect itself, keeping its request header.
    fragment = customer_client.get(post["Location"], HTTP_HX_REQUEST="true")

    html = fragment.content.decode()
    assert post.status_code == 302
    assert "<html" not in html
    assert "Any news?" in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "Your reply was added." in html


def test_it_rerenders_an_empty_reply_with_an_error(customer_client, ticket):
    response = customer_client.post(
        reverse("portal:reply", args=[ticket.pk]), {"body": "  "}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert ticket.messages.count() == 1


def test_a_customer_marks_a_ticket_solved_and_reopens_it(customer_client, ticket):
    url = reverse("portal:status", args=[ticket.pk])

    solved = customer_client.post(url, {"status": "solved"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    assert "marked as solved" in solved.content.decode()
    assert "Reopen this ticket" in solved.content.decode()

    reopened = customer_client.post(url, {"status": "open"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert "open again" in reopened.content.decode()


def test_a_reply_reopens_a_solved_ticket(customer_client, agent, ticket):
    services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)

    response = customer_client.post(
        reverse("portal:reply", args=[ticket.pk]), {"body": "Broken again"}, follow=True
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert "the ticket is open again" in response.content.decode()


@pytest.mark.parametrize("status", ["on_hold", "closed", "nonsense", ""])
def test_it_refuses_status_changes_a_customer_may_not_make(customer_client, ticket, status):
    response = customer_client.post(reverse("portal:status", args=[ticket.pk]), {"status": status})

    assert response.status_code in (400, 403)
    assert 'class="message message-error"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_it_explains_that_a_closed_ticket_takes_no_replies(customer_client, agent, ticket):
    services.ticket_update(actor=agent, ticket=ticket, status=Status.CLOSED)

    page = customer_client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    response = customer_client.post(reverse("portal:reply", args=[ticket.pk]), {"body": "Hello?"})

    assert "This ticket is closed" in page
    assert "Add a reply" not in page
    assert response.status_code == 409
    assert "open a new ticket" in response.content.decode()
    assert ticket.messages.count() == 1


def test_it_shows_staff_replies_as_coming_from_support(customer_client, agent, ticket):
    services.message_add(actor=agent, ticket=ticket, body="On our way.")

    html = customer_client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()

    assert "Alex Agent" in html
    assert "Support team" in html
    assert "entry-reply" in html


def test_it_pages_a_long_list(customer_client, customer):
    factories.TicketFactory.create_batch(30, requester=customer)

    first = customer_client.get(reverse("portal:tickets")).content.decode()
    second = customer_client.get(reverse("portal:tickets") + "?page=2").content.decode()

    assert first.count('class="ticket-link"') == 25
    assert second.count('class="ticket-link"') == 5
    assert "Page 2 of 2" in second
