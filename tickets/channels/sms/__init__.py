"""SMS in and out.

Inbound: `POST /hooks/sms/` (`views.sms_hook`), JSON from the SMS provider::

    {"from": "+34600111222", "to": "+34900000000", "body": "My order has not arrived",
     "message_id": "SM1234567890"}

with the shared secret SMS_WEBHOOK_TOKEN as `X-Sms-Token: <token>` or
`Authorization: Bearer <token>` (none: 401; wrong: 403; the setting empty:
the hook is off, 403). `from` is the customer's number (E.164; spaces, dots,
dashes and a leading 00 are tolerated); `to` is our number (optional, not
used yet); `body` is the text (at most 5,000 characters); `message_id` is
the provider's id for the text, which makes intake exactly-once (a retried
delivery answers `{"outcome": "duplicate"}`).

A text from an unknown number creates a customer with that phone number
(and a placeholder address `sms-<digits>@sms.invalid`). It is filed as a
reply on the customer's most recent active SMS ticket, else as a new ticket.
Answers 201 `{"outcome": "created", "ticket": "HD-12", "message": 34}`, or
200 with outcome `replied` or `duplicate`; 400 with `{"detail": ...}` for a
malformed payload.

Outbound: a public staff reply on an SMS ticket is texted to the requester's
phone after commit (`outbound.on_ticket_event` queues `tasks.send_sms_reply`),
through the backend named by SMS_BACKEND (`backends`), once per message: the
"sms.sent" event records it.
"""
