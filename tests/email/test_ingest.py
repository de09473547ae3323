"""`email_ingest`, the one service behind every inbound route: rules that need more than one file."""

import pytest
from django.core import mail

from tests import factories
from tests.email.conftest import eml
from tickets import services
from tickets.channels.email import ingest
from tickets.channels.email.ingest import email_ingest
from tickets.models import BouncedAddress, InboundEmail, Message, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome


def test_the_same_message_twice_files_once(django_capture_on_commit_callbacks):
    raw = eml()
    with django_capture_on_commit_callbacks(execute=True):
        first = email_ingest(raw, source="imap")
        second = email_ingest(raw, source="webhook")

    assert first.outcome == Outcome.CREATED
    assert second.outcome == "duplicate" and second.line == "duplicate"
    assert second.ticket == first.ticket
    assert Message.objects.count() == 1
    assert InboundEmail.objects.count() == 1


def test_a_race_between_two_deliveries_files_once(monkeypatch):
    """Both pass the cheap check; the unique Message-ID decides, and the loser says duplicate."""
    first = email_ingest(eml(), source="imap")
    # The first check misses (the other delivery has not committed yet); the
    # re-check after the unique constraint's IntegrityError finds it.
    answers = iter([False, True])
    monkeypatch.setattr(ingest, "_already_seen", lambda message_id: next(answers))

    second = email_ingest(eml(), source="webhook")

    assert second.outcome == "duplicate"
    assert second.ticket == first.ticket
    assert Ticket.objects.count() == 1 and Message.objects.count() == 1


def test_an_auto_reply_creates_nothing_and_sends_nothing(
    customer, agent, django_capture_on_commit_callbacks
):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_add(actor=agent, ticket=ticket, body="On it.")
    mail.outbox.clear()
    reply.refresh_from_db()
    oof = eml(
        sender=customer.email,
        headers={
            "Subject": f"Out of office: Re: Hi [{ticket.reference}]",
            "In-Reply-To": reply.email_message_id,
            "Auto-Submitted": "auto-replied",
            "Message-ID": "<oof@example.com>",
        },
        body="I am away.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(oof, source="imap")

    assert result.outcome == Outcome.AUTO_REPLY
    assert result.line == "auto-reply"
    assert ticket.messages.count() == 2
    assert Ticket.objects.count() == 1
    assert mail.outbox == []


def test_a_strangers_reply_to_another_customers_ticket_opens_a_new_ticket(
    customer, other_customer, agent, django_capture_on_commit_callbacks
):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="My invoice", body="Wrong amount"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_add(actor=agent, ticket=ticket, body="Refunded 20 EUR.")
    reply.refresh_from_db()
    raw = eml(
        sender=other_customer.email,
        headers={
            "Subject": f"Re: My invoice [{ticket.reference}]",
            "In-Reply-To": reply.email_message_id,
            "References": reply.email_message_id,
            "Message-ID": "<stranger@example.com>",
        },
        body="Refund me too.",
    )

    result = email_ingest(raw, source="webhook")

    assert result.outcome == Outcome.CREATED
    assert result.ticket != ticket
    assert result.ticket.requester == other_customer
    assert result.ticket.subject == "Re: My invoice"
    assert ticket.messages.count() == 2


def test_a_collaborator_may_reply_by_email(customer):
    colleague = factories.CustomerFactory(email="colleague@elsewhere.example")
    ticket = services.ticket_create(actor=customer, requester=customer, subject="VPN", body="Down")
    ticket.collaborators.add(colleague)

    result = email_ingest(
        eml(sender=colleague.email, headers={"Subject": f"Re: VPN [{ticket.reference}]"}),
        source="imap",
    )

    assert result.outcome == Outcome.REPLIED and result.ticket == ticket
    assert result.message.author == colleague


def test_a_customer_reply_reopens_a_solved_ticket(customer, agent):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="VPN", body="Down")
    services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)

    email_ingest(
        eml(sender=customer.email, headers={"Subject": f"Re: VPN [{ticket.reference}]"}),
        source="imap",
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_unknown_senders_become_customers_and_events_say_email():
    result = email_ingest(eml(sender="New Person <new.person@example.com>"), source="command")

    requester = result.ticket.requester
    assert (requester.email, requester.full_name, requester.is_customer) == (
        "new.person@example.com",
        "New Person",
        True,
    )
    assert not requester.has_usable_password()
    event = TicketEvent.objects.get(ticket=result.ticket, type="ticket.created")
    assert event.data["channel"] == "email"


def test_oversized_mail_is_refused_with_a_clear_reason(settings):
    settings.MAX_INBOUND_EMAIL_BYTES = 1000
    raw = eml(body="x" * 2000)

    result = email_ingest(raw, source="webhook")

    assert result.outcome == Outcome.TOO_LARGE and result.line == "too large"
    assert "over the 1000-byte limit" in result.reason
    assert Ticket.objects.count() == 0
    audit = InboundEmail.objects.get()
    assert audit.size == len(raw) and audit.email_message_id == "<test-1@example.com>"
    assert bytes(audit.raw).endswith(b"\n\n") and b"xxx" not in bytes(audit.raw)


def test_files_past_the_attachment_limits_are_left_out_and_named(settings):
    settings.MAX_ATTACHMENTS_PER_MESSAGE = 1
    settings.MAX_ATTACHMENT_BYTES = 100
    raw = (
        b"From: pat@example.com\nSubject: Files\nMessage-ID: <files@example.com>\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nSee the files.\n"
        b'--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename="small.txt"\n\nsmall\n'
        b'--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename="big.txt"\n\n'
        + b"B"
        * 500
        + b'\n--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename="second.txt"\n\n'
        b"two\n--b--\n"
    )

    result = email_ingest(raw, source="imap")

    assert result.outcome == Outcome.CREATED
    assert [a.filename for a in result.message.attachments.all()] == ["small.txt"]
    assert "big.txt" in result.message.body and "second.txt" in result.message.body


def test_mail_from_a_deactivated_account_is_refused():
    factories.CustomerFactory(email="gone@example.com", is_active=False)

    result = email_ingest(eml(sender="gone@example.com"), source="imap")

    assert result.outcome == Outcome.REFUSED and result.line == "refused"
    assert Ticket.objects.count() == 0
    assert InboundEmail.objects.get().outcome == Outcome.REFUSED


def test_mail_from_a_bouncing_address_clears_the_mark():
    BouncedAddress.objects.create(email="pat@example.com", bounce_count=2)

    email_ingest(eml(), source="imap")

    mark = BouncedAddress.objects.get()
    assert not mark.bouncing and mark.cleared_at is not None


def test_our_own_message_coming_back_is_a_loop(customer, agent, django_capture_on_commit_callbacks):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_add(actor=agent, ticket=ticket, body="On it.")
    sent = mail.outbox[0].message().as_bytes()
    # A customer's rule forwards everything, our reply included, back to the support address.
    bounced_back = sent.replace(b"From: ", b"X-Original-From: ", 1)
    bounced_back = b"From: customer@example.com\n" + bounced_back

    result = email_ingest(bounced_back, source="imap")

    assert result.outcome == Outcome.LOOP and result.line == "loop"
    assert ticket.messages.count() == 2
    assert reply.pk


def test_a_support_address_that_is_a_list_can_be_allowed(settings):
    raw = eml(headers={"List-Id": "Support <support.example.com>"})
    assert email_ingest(raw, source="imap").outcome == Outcome.AUTO_REPLY

    settings.INBOUND_EMAIL_ALLOWED_LIST_IDS = ["support.example.com"]
    raw = eml(headers={"List-Id": "Support <support.example.com>", "Message-ID": "<two@x>"})
    assert email_ingest(raw, source="imap").outcome == Outcome.CREATED


@pytest.mark.parametrize(
    "raw",
    [b"", b"   \n", b"\x00\x01\x02 binary junk \xff\xfe", b"Subject: no sender\n\nbody\n"],
)
def test_garbage_is_unparseable_and_kept(raw):
    result = email_ingest(raw, source="webhook")

    assert result.outcome == Outcome.UNPARSEABLE and result.line == "unparseable"
    assert Ticket.objects.count() == 0
    assert bytes(InboundEmail.objects.get().raw) == raw


def test_nul_and_control_characters_never_reach_the_database():
    """PostgreSQL refuses NUL in text; mail may carry it anywhere."""
    raw = (
        b'From: "Nul\x00 Name" <nul@example.com>\nSubject: Bad\x00 subject\x07\n'
        b"Message-ID: <nul@example.com>\nContent-Type: text/plain; charset=utf-8\n\n"
        b"Body with \x00 NUL and \x1b escape.\n"
    )

    result = email_ingest(raw, source="imap")

    assert result.outcome == Outcome.CREATED
    assert result.ticket.subject == "Bad subject"
    assert result.message.body == "Body with  NUL and  escape."
    assert result.ticket.requester.full_name == "Nul Name"
