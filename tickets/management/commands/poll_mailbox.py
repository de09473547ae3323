"""`manage.py poll_mailbox`: one pass over IMAP_URL (one mailbox, or several separated by commas).

Prints, per mailbox, how many messages were filed, skipped and failed (with
-v 2 also one line per message). Exits 1 when IMAP_URL is unset or invalid,
or when a mailbox could not be read at all.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tickets.channels.email import imap


class Command(BaseCommand):
    help = "Fetch unseen messages from the IMAP_URL mailbox(es) once and file them."

    def handle(self, *args, verbosity: int, **options):
        url = getattr(settings, "IMAP_URL", "")
        if not url:
            raise CommandError("IMAP_URL is not set.")
        try:
            configs = imap.configured_mailboxes(url)
        except imap.ImapConfigError as exc:
            raise CommandError(str(exc)) from exc
        failed = False
        for config in configs:
            report = imap.mailbox_poll(config)
            if verbosity >= 2:
                for uid, line in report.outcomes:
                    self.stdout.write(f"{config.label} {uid.decode()}: {line}")
            self.stdout.write(report.summary())
            failed = failed or bool(report.error)
        if failed:
            raise CommandError("A mailbox could not be read; see above.")
