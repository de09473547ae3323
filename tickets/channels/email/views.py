"""`POST /hooks/email/`: a mail provider's inbound webhook posting one raw MIME message.

The body is the message itself (any content type; `message/rfc822` is
usual). The shared secret INBOUND_EMAIL_TOKEN comes as `X-Inbound-Token:
<token>` or `Authorization: Bearer <token>`: none answers 401, a wrong one
403, and an unconfigured token turns the hook off (403) rather than open.
The body is refused with 413 above MAX_INBOUND_EMAIL_BYTES, judged by
Content-Length before reading and by counting while reading.

Answers JSON: `{"outcome", "reason", "ticket", "message"}`; 201 when a
ticket was opened, 200 for every other outcome (a duplicate or an
auto-reply is a success for the sender: it must not retry).
"""

import hmac

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tickets.channels.email.ingest import email_ingest, max_inbound_bytes
from tickets.models import InboundEmail

READ_CHUNK = 64 * 1024


def _supplied_token(request: HttpRequest) -> str:
    token = request.headers.get("X-Inbound-Token", "")
    if token:
        return token.strip()
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "outcome": InboundEmail.Outcome.TOO_LARGE,
            "detail": _("The message is larger than the %(limit)d-byte limit.") % {"limit": limit},
        },
        status=413,
    )


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The body, or None once it passes `limit` (read in chunks: never all of a huge upload).

    `request.read` rather than `request.body`: the body is a whole email, far
    larger than DATA_UPLOAD_MAX_MEMORY_SIZE allows for form posts.
    """
    chunks = []
    total = 0
    while True:
        chunk = request.read(READ_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@csrf_exempt
@require_POST
def email_hook(request: HttpRequest) -> JsonResponse:
    expected = getattr(settings, "INBOUND_EMAIL_TOKEN", "")
    if not expected:
        return JsonResponse({"detail": _("Inbound email is not enabled.")}, status=403)
    supplied = _supplied_token(request)
    if not supplied:
        response = JsonResponse({"detail": _("Authentication required.")}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="inbound-email"'
        return response
    if not hmac.compare_digest(supplied.encode(), expected.encode()):
        return JsonResponse({"detail": _("Invalid token.")}, status=403)

    limit = max_inbound_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _too_large(limit)
    raw = _read_body(request, limit)
    if raw is None:
        return _too_large(limit)
    if not raw.strip():
        return JsonResponse({"detail": _("The body must be a raw email message.")}, status=400)

    result = email_ingest(raw, source=InboundEmail.Source.WEBHOOK)
    return JsonResponse(
        {
            "outcome": result.outcome,
            "reason": result.reason,
            "ticket": result.ticket.reference if result.ticket else None,
            "message": result.message.pk if result.message else None,
        },
        status=201 if result.outcome == InboundEmail.Outcome.CREATED else 200,
    )
