"""The Celery application: web, worker and beat share this configuration."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work. Every entry scans rows by an indexed due time, so running it
# more often than needed costs an index probe, not a table scan.
app.conf.beat_schedule = {
    "sla-scan": {"task": "sla.tasks.scan", "schedule": 60.0, "options": {"expires": 55}},
    "surveys-dispatch": {
        "task": "surveys.tasks.dispatch",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # A no-op unless IMAP_URL is set.
    "email-poll": {
        "task": "tickets.tasks.poll_mailbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Live chat: chats nobody picked up within CHAT_PICKUP_TIMEOUT_SECONDS go on by email.
    "chat-pickup-timeout": {
        "task": "tickets.channels.chat.tasks.expire_waiting_chats",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Service recovery: open cases' stored scores go stale as "waiting" grows;
    # rescore the stale ones in batches every 15 minutes (partial index on scored_at).
    "recovery-rescore": {
        "task": "recovery.tasks.rescore_open_cases",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
}


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs: object) -> None:
    """The embedded filesystem broker needs its folders before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
