"""Outbound ticket email; built in `tickets.channels.email.outbound` (re-exported here)."""

from tickets.channels.email.outbound import (
    build_assignment_email,
    build_reply_email,
    from_address,
    header_safe,
    new_message_id,
    reply_subject,
)

_header_safe = header_safe  # the old private name, for callers that still use it

__all__ = [
    "build_assignment_email",
    "build_reply_email",
    "from_address",
    "header_safe",
    "new_message_id",
    "reply_subject",
]
