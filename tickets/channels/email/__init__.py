"""Email in and out.

- `parse`: raw RFC 5322 bytes to a `ParsedEmail` (bodies, attachments, delivery reports),
  with `headers` (decoding header values) and `charsets` (decoding mislabelled text).
- `html`: sanitising inbound HTML and deriving its plain text.
- `quotes`: splitting the visible text from quoted earlier mail and signatures.
- `classify`: auto-replies, bounces, mailing lists and loops.
- `thread`: which ticket a message belongs to, and who may add to it.
- `ingest`: `email_ingest`, the one service every inbound route calls.
- `imap`, `views`: the mailbox poller and the `POST /hooks/email/` webhook.
- `bounces`: addresses that bounce, and the delivery events on tickets.
- `outbound`: reply and notice emails (re-exported by `tickets.mail`).

This module imports nothing so that `tickets.tasks` can import `outbound`
without pulling in the services (which import the tasks).
"""
