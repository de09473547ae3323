"""`manage.py ingest_email [FILE ...]`: one line per message, exit 0 unless a file cannot be read."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.email.conftest import CORPUS
from tickets.models import InboundEmail, Ticket

pytestmark = pytest.mark.django_db


def run(*args, stdin: bytes | None = None, monkeypatch=None) -> list[str]:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("ingest_email", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def test_it_prints_the_reference_or_the_reason_for_each_file():
    files = [
        CORPUS / "01-plain-text.eml",
        CORPUS / "02-reply-in-reply-to.eml",
        CORPUS / "01-plain-text.eml",
        CORPUS / "24-auto-reply-auto-submitted.eml",
        CORPUS / "33-loop-from-ourselves.eml",
        CORPUS / "22-missing-from.eml",
    ]

    lines = run(*map(str, files))

    ticket = Ticket.objects.get()
    assert lines == [
        ticket.reference,
        ticket.reference,
        "duplicate",
        "auto-reply",
        "loop",
        "unparseable",
    ]
    assert ticket.messages.count() == 2


def test_it_says_too_large(settings):
    settings.MAX_INBOUND_EMAIL_BYTES = 500

    assert run(str(CORPUS / "17-attachments.eml")) == ["too large"]
    assert InboundEmail.objects.get().outcome == "too_large"


def test_it_reads_one_message_from_stdin(monkeypatch):
    lines = run(
        stdin=(CORPUS / "07-multipart-alternative.eml").read_bytes(), monkeypatch=monkeypatch
    )

    assert lines == [Ticket.objects.get().reference]
    assert InboundEmail.objects.get().source == "command"


def test_an_unreadable_file_fails_the_command_after_the_others(tmp_path):
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command(
            "ingest_email",
            str(tmp_path / "missing.eml"),
            str(CORPUS / "01-plain-text.eml"),
            stdout=out,
            stderr=err,
        )

    assert error.value.returncode == 1
    assert out.getvalue().splitlines() == [Ticket.objects.get().reference]
    assert "missing.eml: cannot read" in err.getvalue()


def test_verbose_lines_say_why(tmp_path):
    lines = run(str(CORPUS / "26-precedence-bulk.eml"), "-v", "2")

    assert lines == [f"auto-reply\tPrecedence: bulk\t{CORPUS / '26-precedence-bulk.eml'}"]
