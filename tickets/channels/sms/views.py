"""`POST /hooks/sms/`: the SMS provider's inbound webhook (payload in the package docstring)."""

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from helpdesk.errors import ApplicationError
from tickets.channels.sms.ingest import Outcome, sms_ingest

MAX_PAYLOAD_BYTES = 32 * 1024


def _supplied_token(request: HttpRequest) -> str:
    token = request.headers.get("X-Sms-Token", "")
    if token:
        return token.strip()
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _bad(detail: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


@csrf_exempt
@require_POST
def sms_hook(request: HttpRequest) -> JsonResponse:
    expected = getattr(settings, "SMS_WEBHOOK_TOKEN", "")
    if not expected:
        return _bad(_("Inbound SMS is not enabled."), 403)
    supplied = _supplied_token(request)
    if not supplied:
        response = _bad(_("Authentication required."), 401)
        response["WWW-Authenticate"] = 'Bearer realm="inbound-sms"'
        return response
    if not hmac.compare_digest(supplied.encode(), expected.encode()):
        return _bad(_("Invalid token."), 403)

    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_PAYLOAD_BYTES:
        return _bad(_("The payload is too large."), 413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad(_("The body must be a JSON object."))
    if not isinstance(payload, dict):
        return _bad(_("The body must be a JSON object."))

    try:
        result = sms_ingest(
            sender=payload.get("from"),
            to=payload.get("to", ""),
            body=payload.get("body"),
            message_id=payload.get("message_id"),
        )
    except ApplicationError as error:
        return _bad(error.message, error.status_code, field=error.field)
    return JsonResponse(
        {
            "outcome": result.outcome,
            "ticket": result.ticket.reference if result.ticket else None,
            "message": result.message.pk if result.message else None,
        },
        status=201 if result.outcome == Outcome.CREATED else 200,
    )
