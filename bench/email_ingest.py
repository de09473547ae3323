"""Inbound email throughput: generates varied messages and times `email_ingest` on them.

Usage (PostgreSQL; the database is created by you and migrated here):

    createdb -h 127.0.0.1 -U postgres helpdesk_bench_email
    DATABASE_URL=postgres://postgres@127.0.0.1/helpdesk_bench_email \\
        .venv/bin/python bench/email_ingest.py [--messages 10000] [--seed 1]

The mix is what a support mailbox sees: new tickets (plain, HTML-only,
multipart/alternative in legacy charsets, with attachments), replies threaded
by In-Reply-To/References and by the subject reference alone, strangers
quoting someone else's thread, auto-replies, list mail, delivery reports and
re-deliveries of the same message. Every run uses fresh Message-IDs, so it
can be repeated on the same database. Messages are generated before the
clock starts; the Celery broker is in memory, so queueing costs are counted
but no worker runs. Prints the overall rate and the mean time per kind.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-email-media-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from helpdesk.celery import app as celery_app  # noqa: E402
from tickets.channels.email.ingest import email_ingest  # noqa: E402

WORDS = (
    "order invoice refund password login crash export delivery parcel charge account card "
    "screen error broken late missing damaged upgrade plan printer battery update sync"
).split()
KINDS = [
    ("new_plain", 30),
    ("new_html", 10),
    ("new_alternative_latin1", 6),
    ("new_attachment", 5),
    ("reply_headers", 22),
    ("reply_subject", 5),
    ("stranger_reply", 2),
    ("auto_reply", 6),
    ("list", 3),
    ("bounce", 3),
    ("duplicate", 3),
]
PDF = b"%PDF-1.4\n" + b"0123456789abcdef" * 1200  # ~19 KB


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


class Generator:
    def __init__(self, seed: int, customers: int):
        self.rng = random.Random(seed)
        self.run = uuid.uuid4().hex[:8]
        self.customers = [f"customer{n}.{self.run}@bench{n % 50}.example" for n in range(customers)]
        self.count = 0
        self.threads: list[tuple[str, str, str, int]] = []  # (sender, msgid, subject, index)
        self.raws: list[bytes] = []

    def msgid(self) -> str:
        self.count += 1
        return f"<{self.run}.{self.count}@bench.example>"

    def head(self, sender: str, subject: str, msgid: str, extra: str = "") -> str:
        return (
            f"From: Bench Person <{sender}>\nTo: support@example.com\nSubject: {subject}\n"
            f"Date: Mon, 1 Jul 2024 09:00:00 +0000\nMessage-ID: {msgid}\nMIME-Version: 1.0\n{extra}"
        )

    def make(self, kind: str, index: int) -> bytes:
        rng = self.rng
        needs_thread = kind.startswith("reply") or kind in ("stranger_reply", "bounce", "duplicate")
        if needs_thread and not self.threads:
            kind = "new_plain"
        sender = rng.choice(self.customers)
        msgid = self.msgid()
        subject = f"{sentence(rng, 4)[:-1]} #{index}"
        body = "\n\n".join(sentence(rng) for _ in range(rng.randint(1, 4)))
        if kind == "new_plain":
            raw = self.head(sender, subject, msgid, "Content-Type: text/plain; charset=utf-8\n")
            raw = (raw + "\n" + body + "\n\n-- \nBench Person\n").encode()
        elif kind == "new_html":
            html = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            raw = self.head(sender, subject, msgid, "Content-Type: text/html; charset=utf-8\n")
            raw = (
                raw + f"\n<html><body>{html}<img src='https://t.example/p.gif'></body></html>\n"
            ).encode()
        elif kind == "new_alternative_latin1":
            text = body + " Café crème, déjà vu."
            raw = (
                (
                    self.head(
                        sender,
                        subject,
                        msgid,
                        'Content-Type: multipart/alternative; boundary="b"\n',
                    )
                    + "\n--b\nContent-Type: text/plain; charset=iso-8859-1\n\n"
                ).encode()
                + text.encode("latin-1")
                + (
                    b"\n--b\nContent-Type: text/html; charset=iso-8859-1\n\n<p>"
                    + text.encode("latin-1")
                    + b"</p>\n--b--\n"
                )
            )
        elif kind == "new_attachment":
            import base64

            encoded = base64.encodebytes(PDF).decode()
            raw = (
                self.head(sender, subject, msgid, 'Content-Type: multipart/mixed; boundary="m"\n')
                + f"\n--m\nContent-Type: text/plain\n\n{body}\n--m\nContent-Type: application/pdf\n"
                'Content-Disposition: attachment; filename="report.pdf"\n'
                f"Content-Transfer-Encoding: base64\n\n{encoded}--m--\n"
            ).encode()
        elif kind in ("reply_headers", "reply_subject", "stranger_reply"):
            thread_sender, parent, thread_subject, origin = rng.choice(self.threads)
            quote = "\n".join(f"> {line}" for line in sentence(rng, 20).split(". "))
            text = f"{body}\n\nOn Mon, 1 Jul 2024, Someone <{thread_sender}> wrote:\n{quote}\n"
            if kind == "reply_subject":
                # The ticket reference is filled in at ingest time (see run()).
                raw = self.head(
                    thread_sender,
                    f"Re: {thread_subject} [@@REF{origin}@@]",
                    msgid,
                    "Content-Type: text/plain; charset=utf-8\n",
                )
            else:
                who = sender if kind == "stranger_reply" else thread_sender
                raw = self.head(
                    who,
                    f"Re: {thread_subject}",
                    msgid,
                    f"In-Reply-To: {parent}\nReferences: {parent}\n"
                    "Content-Type: text/plain; charset=utf-8\n",
                )
            raw = (raw + "\n" + text).encode()
            if kind == "reply_headers":
                self.threads.append((thread_sender, msgid, thread_subject, origin))
        elif kind == "auto_reply":
            raw = self.head(
                sender,
                f"Automatic reply: {subject}",
                msgid,
                "Auto-Submitted: auto-replied\nContent-Type: text/plain\n",
            )
            raw = (raw + "\nI am out of the office.\n").encode()
        elif kind == "list":
            raw = self.head(
                "news@lists.example",
                subject,
                msgid,
                "List-Id: <news.lists.example>\nPrecedence: list\nContent-Type: text/plain\n",
            )
            raw = (raw + "\n" + body + "\n").encode()
        elif kind == "bounce":
            thread_sender, parent, _subject, _origin = rng.choice(self.threads)
            raw = (
                "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example\nTo: support@example.com\n"
                f"Subject: Undelivered Mail\nMessage-ID: {msgid}\nMIME-Version: 1.0\n"
                'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
                "--r\nContent-Type: text/plain\n\nDelivery failed.\n"
                "--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n"
                f"Final-Recipient: rfc822; {thread_sender}\nAction: failed\nStatus: 5.1.1\n\n"
                f"--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: {parent}\n\n--r--\n"
            ).encode()
        elif kind == "duplicate":
            return self.raws[rng.randrange(len(self.raws))] if self.raws else b""
        else:
            raise ValueError(kind)
        if kind.startswith("new"):
            self.threads.append((sender, msgid, subject, index))
        self.raws.append(raw)
        return raw

    def generate(self, n: int) -> list[tuple[str, int, bytes]]:
        names = [k for k, _ in KINDS]
        weights = [w for _, w in KINDS]
        items = []
        for index in range(n):
            kind = self.rng.choices(names, weights)[0]
            items.append((kind, index, self.make(kind, index)))
        return items


def run(messages: int, seed: int, customers: int) -> None:
    vendor = connection.vendor
    if vendor != "postgresql":
        print(f"warning: running on {vendor}; the reference number is for PostgreSQL")
    call_command("migrate", verbosity=0, interactive=False)
    celery_app.conf.broker_url = "memory://localhost//"
    celery_app.conf.task_always_eager = False

    generator = Generator(seed, customers)
    items = generator.generate(messages)
    print(f"generated {len(items)} messages ({sum(len(r) for _, _, r in items) / 1e6:.1f} MB)")

    references: dict[int, str] = {}
    per_kind: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for kind, index, raw in items:
        if b"@@REF" in raw:
            origin = int(raw.split(b"@@REF", 1)[1].split(b"@@", 1)[0])
            raw = raw.replace(f"@@REF{origin}@@".encode(), references.get(origin, "HD-0").encode())
        t0 = time.perf_counter()
        result = email_ingest(raw, source="command")
        per_kind[kind].append(time.perf_counter() - t0)
        outcomes[result.outcome] += 1
        if kind.startswith("new") and result.ticket is not None:
            references[index] = result.ticket.reference
    elapsed = time.perf_counter() - started

    print(f"database: {vendor} ({connection.settings_dict['NAME']})")
    print(
        f"ingested {len(items)} messages in {elapsed:.1f} s: {len(items) / elapsed:.0f} messages/s"
    )
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    for kind, times in sorted(per_kind.items()):
        print(
            f"  {kind:24} {len(times):6} msgs  mean {statistics.mean(times) * 1000:6.1f} ms"
            f"  p95 {sorted(times)[int(len(times) * 0.95) - 1] * 1000:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--customers", type=int, default=2_000)
    args = parser.parse_args()
    run(args.messages, args.seed, args.customers)


if __name__ == "__main__":
    main()
