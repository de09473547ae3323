"""`poll_mailbox` (command and Celery task) against a fake IMAP server on a local socket."""

import imaplib

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from helpdesk.celery import app as celery_app
from tests.email.conftest import CORPUS, eml
from tests.email.fake_imap import FakeImapServer
from tickets import tasks
from tickets.channels.email import imap
from tickets.models import InboundEmail, Message, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with FakeImapServer() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _quick_timeouts(settings):
    settings.IMAP_TIMEOUT = 0.5


def message(n: int, **headers) -> bytes:
    return eml(
        headers={"Message-ID": f"<poll-{n}@example.com>", "Subject": f"Question {n}", **headers},
        body=f"Question number {n}.",
        sender=f"Customer {n} <c{n}@example.com>",
    )


def test_it_files_unseen_messages_and_marks_them_seen(server, settings, capsys):
    old = server.add(message(0), seen=True)
    uids = [server.add(message(n)) for n in (1, 2)]
    settings.IMAP_URL = server.url()

    call_command("poll_mailbox")

    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Question 1", "Question 2"]
    assert all(server.seen(uid) for uid in uids)
    assert not InboundEmail.objects.filter(email_message_id="<poll-0@example.com>").exists()
    assert server.seen(old)
    assert "2 filed, 0 skipped, 0 failed" in capsys.readouterr().out
    # Bodies are fetched with PEEK: only the explicit STORE marks a message seen.
    assert not any("FETCH" in c and "BODY[]" in c and "PEEK" not in c for c in server.commands)


def test_one_huge_message_is_skipped_without_download_and_the_others_filed(server, settings):
    settings.MAX_INBOUND_EMAIL_BYTES = 2000
    small = server.add(message(1))
    huge = server.add(message(2) + b"x" * 5000)
    last = server.add(message(3))
    settings.IMAP_URL = server.url()

    [report] = imap.mailbox_poll_all()

    assert report.filed == 2 and report.skipped == 1 and report.failed == 0
    assert all(server.seen(uid) for uid in (small, huge, last))
    audit = InboundEmail.objects.get(email_message_id="<poll-2@example.com>")
    assert audit.outcome == InboundEmail.Outcome.TOO_LARGE
    assert audit.size > 5000 and len(bytes(audit.raw)) < 1000  # only the headers were fetched
    assert "Subject: Question 2" in bytes(audit.raw).decode()
    assert not any(f"FETCH {huge} (BODY.PEEK[])" in c for c in server.commands)


def test_a_stalling_message_costs_a_reconnect_not_the_pass(server, settings):
    first = server.add(message(1))
    stuck = server.add(message(2))
    last = server.add(message(3))
    server.stall.add(stuck)
    settings.IMAP_URL = server.url()

    [report] = imap.mailbox_poll_all()

    assert (report.filed, report.failed) == (2, 1)
    assert server.seen(first) and server.seen(last)
    assert not server.seen(stuck)  # left for the next pass
    assert server.logins == 2


def test_a_message_that_fails_to_ingest_stays_unseen_for_the_next_pass(
    server, settings, monkeypatch
):
    good = server.add(message(1))
    bad = server.add(message(2))
    settings.IMAP_URL = server.url()
    real = imap.email_ingest

    def flaky(raw, **kwargs):
        if b"poll-2" in raw:
            raise RuntimeError("database went away")
        return real(raw, **kwargs)

    monkeypatch.setattr(imap, "email_ingest", flaky)
    [report] = imap.mailbox_poll_all()
    assert server.seen(good) and not server.seen(bad)
    assert report.failed == 1

    monkeypatch.setattr(imap, "email_ingest", real)
    [report] = imap.mailbox_poll_all()
    assert server.seen(bad) and report.filed == 1
    assert Ticket.objects.count() == 2


def test_duplicates_and_auto_replies_are_definitive_skips(server, settings):
    server.add(message(1))
    settings.IMAP_URL = server.url()
    imap.mailbox_poll_all()
    again = server.add(message(1))
    oof = server.add(message(2, **{"Auto-Submitted": "auto-replied"}))

    [report] = imap.mailbox_poll_all()

    assert [line for _uid, line in report.outcomes] == ["duplicate", "auto-reply"]
    assert server.seen(again) and server.seen(oof)
    assert Message.objects.count() == 1


def test_several_mailboxes_in_one_url(settings):
    with FakeImapServer() as one, FakeImapServer(mailbox="Support/EU") as two:
        one.add(message(1))
        two.add((CORPUS / "01-plain-text.eml").read_bytes())
        settings.IMAP_URL = f"{one.url()}, {two.url().replace('Support/EU', 'Support%2FEU')}"

        reports = imap.mailbox_poll_all()

    assert [r.filed for r in reports] == [1, 1]
    assert Ticket.objects.count() == 2


def test_imaps_urls_use_tls(server, settings, monkeypatch):
    used = {}

    class FakeSSL(imaplib.IMAP4):
        def __init__(self, host, port, *, ssl_context=None, timeout=None):
            used.update(host=host, port=port, context=ssl_context)
            super().__init__(host, port, timeout=timeout)

    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeSSL)
    server.add(message(1))
    settings.IMAP_URL = server.url("imaps")

    [report] = imap.mailbox_poll_all()

    assert report.filed == 1
    assert used["port"] == server.port and used["context"] is not None


def test_a_wrong_password_is_reported_and_the_command_fails(server, settings):
    server.add(message(1))
    settings.IMAP_URL = server.url().replace("secret", "wrong")

    with pytest.raises(CommandError):
        call_command("poll_mailbox")
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("imaps://me%40corp:p%3Ass@mail.example.com/INBOX", ("me@corp", "p:ss", 993, "INBOX")),
        ("imap://u:p@localhost", ("u", "p", 143, "INBOX")),
        ("imaps://u:p@h:1993/Support%2FEU", ("u", "p", 1993, "Support/EU")),
    ],
)
def test_it_reads_imap_urls(url, expected):
    config = imap.parse_imap_url(url)
    assert (config.username, config.password, config.port, config.mailbox) == expected


def test_the_command_needs_imap_url(settings):
    settings.IMAP_URL = ""
    with pytest.raises(CommandError, match="IMAP_URL"):
        call_command("poll_mailbox")


def test_the_beat_task_polls_only_when_configured(server, settings):
    settings.IMAP_URL = ""
    assert tasks.poll_mailbox.delay().get() == "disabled"

    server.add(message(1))
    settings.IMAP_URL = server.url()
    assert "1 filed" in tasks.poll_mailbox.delay().get()
    assert Ticket.objects.count() == 1


def test_beat_schedules_the_poll_every_minute():
    entry = celery_app.conf.beat_schedule["email-poll"]
    assert entry["task"] == "tickets.tasks.poll_mailbox"
    assert entry["schedule"] == 60.0


def test_a_pass_already_running_is_not_joined(server, settings):
    server.add(message(1))
    settings.IMAP_URL = server.url()
    cache.add(tasks.POLL_LOCK, "1", timeout=60)
    try:
        assert tasks.poll_mailbox.delay().get() == "busy"
    finally:
        cache.delete(tasks.POLL_LOCK)
    assert Ticket.objects.count() == 0
