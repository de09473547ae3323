"""Email out: threading headers, attachments, header safety, send failures and hard bounces."""

import smtplib
from email import message_from_bytes, policy

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend

from tests import factories
from tests.email.conftest import CORPUS, eml
from tickets import mail as mail_module
from tickets import services, tasks
from tickets.channels.email.bounces import BOUNCED, SEND_FAILED
from tickets.channels.email.ingest import email_ingest
from tickets.models import BouncedAddress, InboundEmail, TicketEvent

pytestmark = pytest.mark.django_db


def reply(agent, ticket, capture, body="We are on it.", **kwargs):
    with capture(execute=True):
        return services.message_add(actor=agent, ticket=ticket, body=body, **kwargs)


def sent_message(index: int = -1):
    """The outbox entry as the bytes an SMTP server would receive, parsed back."""
    return message_from_bytes(mail.outbox[index].message().as_bytes(), policy=policy.default)


def test_a_reply_threads_back_to_the_customers_mail_and_their_answer_joins_the_ticket(
    agent, django_capture_on_commit_callbacks
):
    first = email_ingest((CORPUS / "01-plain-text.eml").read_bytes(), source="imap")
    ticket = first.ticket

    reply(agent, ticket, django_capture_on_commit_callbacks, body="Please clean the roller.")

    sent = sent_message()
    assert sent["In-Reply-To"] == "<CAF1-ana-001@mail.example.org>"
    assert sent["References"] == "<CAF1-ana-001@mail.example.org>"
    assert sent["Subject"] == f"Re: Printer jams on page 2 [{ticket.reference}]"
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent.get_body(("plain",)) and sent.get_body(("html",))
    our_id = sent["Message-ID"]

    # The customer answers from a client that keeps only In-Reply-To, and quotes us.
    answer = eml(
        sender="Ana Lima <ana.lima@example.org>",
        headers={"Subject": "Re: printer", "In-Reply-To": our_id, "Message-ID": "<ans@x>"},
        body="Done, it works.\n\nOn Tue, Help Desk wrote:\n> Please clean the roller.",
    )
    result = email_ingest(answer, source="imap")

    assert result.ticket == ticket
    assert result.message.body == "Done, it works."
    assert "> Please clean the roller." in InboundEmail.objects.get(email_message_id="<ans@x>").text


def test_a_reply_carries_its_attachments(customer, agent, django_capture_on_commit_callbacks):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide", content_type="application/pdf")

    reply(agent, ticket, django_capture_on_commit_callbacks, attachments=[upload])

    [(name, content, mimetype)] = mail.outbox[0].attachments
    assert (name, content, mimetype) == ("guide.pdf", b"%PDF-1.4 guide", "application/pdf")
    part = next(sent_message().iter_attachments())
    assert part.get_filename() == "guide.pdf"


def test_a_smuggled_bcc_in_a_subject_never_reaches_a_header(
    agent, django_capture_on_commit_callbacks
):
    result = email_ingest((CORPUS / "16-bcc-smuggling-subject.eml").read_bytes(), source="imap")

    reply(agent, result.ticket, django_capture_on_commit_callbacks)

    outgoing = mail.outbox[0]
    assert outgoing.recipients() == ["zed@example.org"]
    head = outgoing.message().as_bytes().split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in head and "Bcc" not in sent_message()
    assert sent_message()["Subject"].startswith("Re: Refund please Bcc: attacker@evil.test [")


def test_display_names_lose_their_line_breaks(customer, django_capture_on_commit_callbacks):
    sneaky = factories.AgentFactory(full_name="Eve\r\nBcc: evil@evil.test")
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")

    reply(sneaky, ticket, django_capture_on_commit_callbacks)

    outgoing = mail.outbox[0]
    assert outgoing.recipients() == [customer.email]
    head = outgoing.message().as_bytes().split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in head and b"\x00" not in head
    assert "Bcc" not in sent_message()
    sender = sent_message()["From"]
    assert "\n" not in str(sender) and sender.addresses[0].addr_spec == "support@example.com"
    assert "Eve Bcc: evil@evil.test" in sender.addresses[0].display_name


def test_header_values_lose_control_characters():
    assert mail_module.header_safe("a\x00b\r\nBcc: c\u2028d") == "a b Bcc: c d"


def fail_sends(monkeypatch, error: Exception) -> list:
    calls = []

    def down(self, messages):
        calls.append(len(messages))
        raise error

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    return calls


def test_a_failed_send_is_recorded_on_the_ticket_and_retried_with_backoff(
    customer, agent, monkeypatch
):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    message = services.message_add(actor=agent, ticket=ticket, body="On it.")  # task not run yet
    fail_sends(monkeypatch, smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))

    # Eager Celery hands the retry back as an exception instead of scheduling it.
    with pytest.raises(Retry) as retry:
        tasks.send_reply_email.delay(message.pk)

    assert retry.value.when >= 0 and isinstance(retry.value.exc, smtplib.SMTPException)
    [event] = TicketEvent.objects.filter(ticket=ticket, type=SEND_FAILED)
    assert event.data == {
        "message_id": message.pk,
        "attempt": 1,
        "error": "SMTPServerDisconnected: Connection unexpectedly closed",
        "final": False,
    }
    message.refresh_from_db()
    assert message.emailed_at is None and not message.email_message_id


def test_the_last_retry_is_recorded_as_final(customer, agent, monkeypatch):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    message = services.message_add(actor=agent, ticket=ticket, body="On it.")
    fail_sends(monkeypatch, ConnectionRefusedError(111, "Connection refused"))

    with pytest.raises(ConnectionRefusedError):
        tasks.send_reply_email.apply(args=[message.pk], retries=tasks.RETRY["max_retries"])

    event = TicketEvent.objects.get(ticket=ticket, type=SEND_FAILED)
    assert event.data["final"] is True
    assert event.data["attempt"] == tasks.RETRY["max_retries"] + 1


def test_a_retry_after_a_failure_sends_once(customer, agent, monkeypatch):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    message = services.message_add(actor=agent, ticket=ticket, body="On it.")
    real = EmailBackend.send_messages
    calls = fail_sends(monkeypatch, smtplib.SMTPDataError(451, b"try later"))
    with pytest.raises(Retry):
        tasks.send_reply_email.delay(message.pk)
    monkeypatch.setattr(EmailBackend, "send_messages", real)

    assert tasks.send_reply_email.delay(message.pk).get() == "sent"
    assert tasks.send_reply_email.delay(message.pk).get() == "skipped"
    assert len(calls) == 1 and len(mail.outbox) == 1
    assert TicketEvent.objects.filter(ticket=ticket, type=SEND_FAILED).count() == 1


def test_a_permanently_refused_recipient_is_a_hard_bounce(customer, agent, monkeypatch):
    ticket = services.ticket_create(actor=customer, requester=customer, subject="Hi", body="Help")
    message = services.message_add(actor=agent, ticket=ticket, body="On it.")

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({customer.email: (550, b"5.1.1 User unknown")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)

    assert tasks.send_reply_email.delay(message.pk).get() == "bounced"
    mark = BouncedAddress.objects.get(email=customer.email)
    assert mark.bouncing and "User unknown" in mark.reason
    event = TicketEvent.objects.get(ticket=ticket, type=BOUNCED)
    assert event.data["message_id"] == message.pk
