import re
from pathlib import Path

import pytest

from tickets.channels.email.ingest import IngestResult, email_ingest

CORPUS = Path(__file__).parent / "corpus"
_REF = re.compile(rb"\{\{ref:([^}]+)\}\}")


class Corpus:
    """Ingests corpus files, remembering each one's ticket.

    A file may name the ticket another file filed as `{{ref:OTHER.eml}}` (in
    its subject, say): ticket numbers depend on the database, so the
    reference is filled in when the file is ingested.
    """

    def __init__(self) -> None:
        self.results: dict[str, IngestResult] = {}

    def raw(self, name: str) -> bytes:
        data = (CORPUS / name).read_bytes()
        return _REF.sub(lambda m: self.ticket(m.group(1).decode()).reference.encode(), data)

    def ingest(self, name: str, *, source: str = "command") -> IngestResult:
        result = email_ingest(self.raw(name), source=source)
        self.results.setdefault(name, result)
        return result

    def ticket(self, name: str):
        return self.results[name].ticket


@pytest.fixture
def corpus(db) -> Corpus:
    return Corpus()


def eml(*, headers: dict[str, str] | None = None, body: str = "Hello.", sender: str = "") -> bytes:
    """A small message built in a test, for cases the corpus does not need to keep."""
    fields = {
        "From": sender or "Pat Doe <pat@example.com>",
        "To": "support@example.com",
        "Subject": "A question",
        "Date": "Mon, 1 Jul 2024 09:00:00 +0000",
        "Message-ID": "<test-1@example.com>",
        "Content-Type": "text/plain; charset=utf-8",
    }
    fields.update(headers or {})
    head = "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)
    return (head + "\n" + body + "\n").encode()
