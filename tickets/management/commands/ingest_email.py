"""`manage.py ingest_email [FILE ...]`: files RFC 5322 messages, or one from stdin.

Prints one line per message: the ticket reference (e.g. HD-1042) when it was
filed, else why it was skipped (duplicate, auto-reply, loop, too large,
unparseable, refused). With -v 2 each line also says why and which file.
Exits 0 unless a file cannot be read (the others are still ingested).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from tickets.channels.email.ingest import email_ingest, max_inbound_bytes
from tickets.models import InboundEmail


class Command(BaseCommand):
    help = "File emails (files, or one message on stdin) as tickets or replies."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="RFC 5322 message files; none: read stdin")

    def handle(self, *args, files: list[str], verbosity: int, **options):
        limit = max_inbound_bytes()
        unreadable = []
        sources = files or ["-"]
        for name in sources:
            try:
                raw, size = self._read(name, limit)
            except OSError as exc:
                unreadable.append(name)
                self.stderr.write(f"{name}: cannot read ({exc.strerror or exc})")
                continue
            result = email_ingest(raw, source=InboundEmail.Source.COMMAND, size=size)
            line = result.line
            if verbosity >= 2:
                line = f"{line}\t{result.reason}\t{name}"
            self.stdout.write(line)
        if unreadable:
            raise CommandError(f"{len(unreadable)} file(s) could not be read", returncode=1)

    def _read(self, name: str, limit: int) -> tuple[bytes, int]:
        """The message's bytes and its size; past the limit, only the beginning is read."""
        if name == "-":
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            raw = stream.read(limit + 1)
            if isinstance(raw, str):
                raw = raw.encode("utf-8", "surrogateescape")
            if len(raw) > limit:
                size = len(raw)
                while chunk := stream.read(1024 * 1024):  # drain, counting, so the size is true
                    size += len(chunk)
                return raw, size
            return raw, len(raw)
        with open(name, "rb") as handle:
            raw = handle.read(limit + 1)
            if len(raw) > limit:
                handle.seek(0, 2)
                return raw[:65536], handle.tell()
            return raw, len(raw)
