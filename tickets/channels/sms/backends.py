"""Where outbound texts go: SMS_BACKEND names a class with `send(*, to, body) -> str`.

- `ConsoleBackend` (the default) logs the text: development, demos.
- `LocmemBackend` keeps texts in `outbox`: tests.

A provider's backend sends through its API and returns the provider's id for
the text; raising OSError (network trouble) makes the task retry.
"""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "tickets.channels.sms.backends.ConsoleBackend"


@dataclass(frozen=True)
class Text:
    to: str
    body: str
    sender: str
    provider_id: str


class BaseBackend:
    def send(self, *, to: str, body: str) -> str:
        raise NotImplementedError

    @property
    def sender(self) -> str:
        return getattr(settings, "SMS_FROM_NUMBER", "")


class ConsoleBackend(BaseBackend):
    def send(self, *, to: str, body: str) -> str:
        provider_id = f"console-{secrets.token_hex(8)}"
        logger.info("SMS %s to %s from %s: %s", provider_id, to, self.sender or "-", body)
        return provider_id


outbox: list[Text] = []


class LocmemBackend(BaseBackend):
    """Appends to `outbox` (tests empty it between tests)."""

    def send(self, *, to: str, body: str) -> str:
        provider_id = f"locmem-{len(outbox) + 1}"
        outbox.append(Text(to=to, body=body, sender=self.sender, provider_id=provider_id))
        return provider_id


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "SMS_BACKEND", "") or DEFAULT_BACKEND)()
