# ruff: noqa: RUF001 (the corpus is in many scripts on purpose)
"""Every recorded message in tests/email/corpus/, with what must become of it.

One row per file: the outcome, the ticket it opens or joins (the thread),
the visible text and what trimming must hide, attachments, and any extra
checks. Prerequisite files (`after`) are ingested first, so each case runs
on its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail

from tests import factories
from tests.email.conftest import CORPUS, Corpus
from tickets import services
from tickets.channels.email.bounces import BOUNCED
from tickets.models import BouncedAddress, InboundEmail, Message, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome


@dataclass(frozen=True)
class Expect:
    outcome: str
    after: tuple[str, ...] = ()  # files ingested first
    before: Callable | None = None  # (corpus, agent) -> None, before the prerequisites
    setup: Callable | None = None  # (corpus, agent) -> None, after them
    joins: str | None = None  # the file whose ticket this one joins
    requester: str | None = None
    subject: str | None = None
    body: str | None = None  # the whole visible text
    visible: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    check: Callable | None = None  # (corpus, result) -> None


def agent_reply(msgid: str, on: str = "01-plain-text.eml") -> Callable:
    """An agent's emailed reply on `on`'s ticket, sent under `msgid`."""

    def setup(corpus: Corpus, agent) -> None:
        services.message_add(
            actor=agent,
            ticket=corpus.ticket(on),
            body="Please clean the roller.",
            email_message_id=msgid,
        )

    return setup


def close(on: str) -> Callable:
    def setup(corpus: Corpus, agent) -> None:
        services.ticket_update(actor=agent, ticket=corpus.ticket(on), status=Status.CLOSED)

    return setup


def acme(corpus: Corpus, agent) -> None:
    factories.OrganisationFactory(name="Acme", domain="acme.test", shares_tickets=True)


def check_html_sanitised(corpus, result) -> None:
    html = result.inbound.html
    assert "reset my password" in html
    for bad in ("<script", "onload", "onclick", "javascript:", "data:", "<form", "<input",
                "refresh", "tracker.example", "<meta", "<style", "alert("):  # fmt: skip
        assert bad not in html, bad
    assert 'href="https://example.com.au/login"' in html


def check_alternative_html_kept(corpus, result) -> None:
    assert "<b>#4411</b>" in result.inbound.html


def check_name(name: str) -> Callable:
    def check(corpus, result) -> None:
        assert result.ticket.requester.full_name == name

    return check


def check_subject_single_line(corpus, result) -> None:
    assert "\n" not in result.ticket.subject and "\r" not in result.ticket.subject


def check_synthesised_id_dedupes(corpus, result) -> None:
    assert result.inbound.email_message_id.endswith("@no-message-id.invalid>")
    again = corpus.ingest("20-missing-message-id.eml")
    assert again.outcome == "duplicate"
    assert again.ticket == result.ticket
    assert Message.objects.count() == 1


def check_date_defaulted(corpus, result) -> None:
    assert result.inbound.sent_at is not None


def check_hard_bounce_marked(corpus, result) -> None:
    ticket = corpus.ticket("01-plain-text.eml")
    assert result.ticket == ticket
    bounced = BouncedAddress.objects.get(email="ana.lima@example.org")
    assert bounced.bouncing and bounced.bounce_count == 1
    event = TicketEvent.objects.get(ticket=ticket, type=BOUNCED)
    assert event.data["address"] == "ana.lima@example.org"
    assert event.data["status"] == "5.1.1"


def check_no_address_marked(corpus, result) -> None:
    assert not BouncedAddress.objects.exists()


def check_shared_organisation(corpus, result) -> None:
    assert result.ticket.organisation.domain == "acme.test"
    assert result.message.author.email == "sam@acme.test"


def check_follow_up(corpus, result) -> None:
    assert result.ticket != corpus.ticket("01-plain-text.eml")
    assert "follow-up" in result.reason
    assert corpus.ticket("01-plain-text.eml").reference in result.reason


def check_raw_kept(corpus, result) -> None:
    assert bytes(result.inbound.raw) == (CORPUS / "22-missing-from.eml").read_bytes()


ANA = "ana.lima@example.org"
FIRST = "01-plain-text.eml"

CASES: dict[str, Expect] = {
    "01-plain-text.eml": Expect(
        Outcome.CREATED,
        requester=ANA,
        subject="Printer jams on page 2",
        visible=("jams every time it reaches page 2", "Thanks,\nAna"),
        hidden=("Purchasing", "-- "),
        check=check_name("Ana Lima"),
    ),
    "02-reply-in-reply-to.eml": Expect(
        Outcome.REPLIED,
        after=(FIRST,),
        joins=FIRST,
        body="I tried another tray, same problem.",
    ),
    "03-reply-references-only.eml": Expect(
        Outcome.REPLIED,
        after=(FIRST,),
        joins=FIRST,
        body="The printer still jams this morning. Can someone come by?",
    ),
    "04-reply-subject-only.eml": Expect(
        Outcome.REPLIED,
        after=(FIRST,),
        joins=FIRST,
        body="The technician came and replaced the roller. Works now.",
    ),
    "05-stranger-subject-ref.eml": Expect(
        Outcome.CREATED,
        after=(FIRST,),
        requester="mallory@evil.test",
        subject="Re: Printer jams on page 2",
        visible=("Please send me the invoice",),
    ),
    "06-stranger-in-reply-to.eml": Expect(
        Outcome.CREATED,
        after=(FIRST,),
        requester="eve@other.test",
        body="I have the same printer and the same problem.",
    ),
    "07-multipart-alternative.eml": Expect(
        Outcome.CREATED,
        body="Order #4411 arrived damaged: the box was crushed and the lamp is broken.\n"
        "I would like a replacement.",
        check=check_alternative_html_kept,
    ),
    "08-html-only-hostile.eml": Expect(
        Outcome.CREATED,
        visible=(
            "Please reset my password, the login page (https://example.com.au/login) says account locked.",
            "Thanks, Dee",
        ),
        hidden=("alert", "steal", "tracker", "phish", "background"),
        check=check_html_sanitised,
    ),
    "09-iso-8859-1-qp.eml": Expect(
        Outcome.CREATED,
        requester="francois@example.fr",
        subject="Facture erronée",
        visible=(
            "ma facture n° 2024-118 est erronée : le montant dû est 120 EUR.",
            "François Hébert",
        ),
        check=check_name("François Hébert"),
    ),
    "10-windows-1252.eml": Expect(
        Outcome.CREATED,
        body="The “Pro” plan costs 49 € – not 59 € as on my invoice.",
    ),
    "11-iso-2022-jp.eml": Expect(
        Outcome.CREATED,
        subject="注文について",
        body="注文した商品がまだ届きません。\n注文番号は A-1009 です。",
    ),
    "12-koi8-r.eml": Expect(
        Outcome.CREATED,
        subject="Проблема с доступом",
        body="Здравствуйте!\nНе могу войти в личный кабинет.",
        check=check_name("Костя Петров"),
    ),
    "13-wrong-charset-label.eml": Expect(
        Outcome.CREATED, body="Die Größe passt nicht, bitte umtauschen. Grüße, Jonas"
    ),
    "14-unknown-charset.eml": Expect(
        Outcome.CREATED,
        body="La chaqueta del niño es demasiado pequeña. ¿Puedo cambiarla?",
    ),
    "15-rfc2047-subject.eml": Expect(
        Outcome.CREATED,
        subject="Zahlung fehlgeschlagen — bitte prüfen ✓",
        check=check_name("Jörg Müller"),
    ),
    "16-bcc-smuggling-subject.eml": Expect(
        Outcome.CREATED,
        subject="Refund please Bcc: attacker@evil.test",
        check=check_subject_single_line,
    ),
    "17-attachments.eml": Expect(
        Outcome.CREATED,
        body="Attached are the invoice and my notes.",
        attachments=("invoice.pdf", "résumé.txt", "items.csv"),
    ),
    "18-inline-image.eml": Expect(
        Outcome.CREATED,
        body="I get this error on checkout:\n\nKai",
        attachments=("screenshot.png",),
    ),
    "19-nested-multipart.eml": Expect(
        Outcome.CREATED,
        body='The CSV export fails with "timeout". Logs attached.',
        attachments=("logs.zip", "attachment-1.png"),
    ),
    "20-missing-message-id.eml": Expect(
        Outcome.CREATED, visible=("sends no Message-ID",), check=check_synthesised_id_dedupes
    ),
    "21-missing-date.eml": Expect(
        Outcome.CREATED, body="This message has no Date header.", check=check_date_defaulted
    ),
    "22-missing-from.eml": Expect(Outcome.UNPARSEABLE, check=check_raw_kept),
    "23-malformed-headers.eml": Expect(
        Outcome.CREATED,
        requester="weird.name@example.net",
        subject="Überweisung fehlt",
        body="Meine Überweisung vom Montag fehlt.",
    ),
    "24-auto-reply-auto-submitted.eml": Expect(Outcome.AUTO_REPLY, after=(FIRST,)),
    "25-auto-reply-x-autoreply.eml": Expect(Outcome.AUTO_REPLY),
    "26-precedence-bulk.eml": Expect(Outcome.AUTO_REPLY),
    "27-mailing-list-digest.eml": Expect(Outcome.AUTO_REPLY),
    "28-bounce-dsn.eml": Expect(
        Outcome.BOUNCE,
        after=(FIRST,),
        setup=agent_reply("<reply-028@testserver>"),
        check=check_hard_bounce_marked,
    ),
    "29-bounce-mailer-daemon-plain.eml": Expect(Outcome.BOUNCE, check=check_no_address_marked),
    "30-forwarded-inline.eml": Expect(
        Outcome.CREATED,
        subject="Fwd: Your order cannot be shipped",
        visible=(
            "See below, can you help?",
            "Forwarded message",
            "Your order 7781 cannot be shipped to your address.",
            "> Where is my order?",
        ),
    ),
    "31-forwarded-attachment.eml": Expect(
        Outcome.CREATED,
        visible=(
            "Forwarding the carrier's mail, what should I do?",
            "Subject: Delivery notice",
            "Your parcel is held at the depot until Friday.",
        ),
    ),
    "32-reply-to-our-outbound.eml": Expect(
        Outcome.REPLIED,
        after=(FIRST,),
        setup=agent_reply("<reply-032@testserver>"),
        joins=FIRST,
        body="Thanks, that fixed it!",
    ),
    "33-loop-from-ourselves.eml": Expect(Outcome.LOOP),
    "34-exchange-oof.eml": Expect(Outcome.AUTO_REPLY),
    "35-list-unsubscribe.eml": Expect(Outcome.AUTO_REPLY),
    "36-html-only-gmail-reply.eml": Expect(
        Outcome.REPLIED,
        after=(FIRST,),
        joins=FIRST,
        body="The printer works now, please close the ticket.",
    ),
    "37-acme-new.eml": Expect(Outcome.CREATED, before=acme, requester="pat@acme.test"),
    "38-acme-colleague-reply.eml": Expect(
        Outcome.REPLIED,
        before=acme,
        after=("37-acme-new.eml",),
        joins="37-acme-new.eml",
        body="Same here, I am Pat's colleague. Any news?",
        check=check_shared_organisation,
    ),
    "39-closed-ticket-reply.eml": Expect(
        Outcome.CREATED,
        after=(FIRST,),
        setup=close(FIRST),
        requester=ANA,
        body="It jams again, a month later.",
        check=check_follow_up,
    ),
    "40-attachment-only.eml": Expect(
        Outcome.CREATED, body="(no text; see the attachments)", attachments=("IMG_0042.JPG",)
    ),
    "41-quoted-printable-soft-breaks.eml": Expect(
        Outcome.CREATED,
        body="Calling the endpoint with key=abc123 returns 401 although the key is valid and was "
        "created yesterday in the dashboard under Settings → API.",
    ),
    "42-signature-mobile.eml": Expect(
        Outcome.CREATED, body="Can you call me back about my contract?"
    ),
    "43-broken-base64.eml": Expect(Outcome.CREATED, body="My invoice is missing the VAT number."),
    "44-interleaved-reply.eml": Expect(
        Outcome.REPLIED,
        after=(FIRST,),
        joins=FIRST,
        visible=(
            "Answers inline.",
            "> Which paper weight do you use?\n80 g/m2, the usual.",
            "No, only double-sided.",
        ),
    ),
}


def test_every_corpus_file_has_expectations():
    files = sorted(path.name for path in CORPUS.glob("*.eml"))
    assert files == sorted(CASES)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_message(name, corpus, agent, django_capture_on_commit_callbacks):
    expect = CASES[name]
    if expect.before:
        expect.before(corpus, agent)
    for prerequisite in expect.after:
        assert corpus.ingest(prerequisite).filed
    if expect.setup:
        expect.setup(corpus, agent)
    tickets_before = Ticket.objects.count()
    messages_before = Message.objects.count()
    joined_before = corpus.ticket(expect.joins).messages.count() if expect.joins else 0

    with django_capture_on_commit_callbacks(execute=True):
        result = corpus.ingest(name)

    assert result.outcome == expect.outcome, result.reason
    assert result.inbound is not None and result.inbound.outcome == expect.outcome
    # Nothing that comes in by email is ever answered automatically.
    assert mail.outbox == []
    if not result.filed:
        assert Ticket.objects.count() == tickets_before
        assert Message.objects.count() == messages_before
        assert result.message is None
    else:
        ticket, message = result.ticket, result.message
        assert message.ticket == ticket and message.channel == "email"
        assert message.email_message_id == result.inbound.email_message_id
        assert result.inbound.message == message and result.inbound.ticket == ticket
        assert ticket.channel == "email" or expect.outcome == Outcome.REPLIED
        if expect.outcome == Outcome.CREATED:
            assert Ticket.objects.count() == tickets_before + 1
            assert not any(ticket == r.ticket for n, r in corpus.results.items() if n != name)
        if expect.joins:
            assert ticket == corpus.ticket(expect.joins)
            assert ticket.messages.count() == joined_before + 1
        if expect.requester:
            assert ticket.requester.email == expect.requester
            assert message.author == ticket.requester or expect.outcome == Outcome.REPLIED
        if expect.subject is not None:
            assert ticket.subject == expect.subject
        if expect.body is not None:
            assert message.body == expect.body
        for text in expect.visible:
            assert text in message.body
        for text in expect.hidden:
            assert text not in message.body
        # The full original stays available: the raw bytes and the untrimmed text.
        assert bytes(result.inbound.raw) == corpus.raw(name)
        assert message.body.split("\n")[0] in result.inbound.text or message.body.startswith("(")
        assert sorted(a.filename for a in message.attachments.all()) == sorted(expect.attachments)
    if expect.check:
        expect.check(corpus, result)
