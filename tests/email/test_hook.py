"""`POST /hooks/email/`: raw MIME in, JSON out, behind INBOUND_EMAIL_TOKEN."""

import pytest
from django.test import Client

from tests.email.conftest import CORPUS, eml
from tickets.models import InboundEmail, Ticket

pytestmark = pytest.mark.django_db
URL = "/hooks/email/"
TOKEN = "test-inbound-token"  # pyproject's pytest env sets INBOUND_EMAIL_TOKEN to this


@pytest.fixture(autouse=True)
def _token(settings):
    settings.INBOUND_EMAIL_TOKEN = TOKEN


def post(raw: bytes, **headers):
    # A fresh client with CSRF checks on: the hook must be exempt, as providers send no cookie.
    return Client(enforce_csrf_checks=True).post(
        URL, raw, content_type="message/rfc822", headers=headers
    )


def test_it_files_a_message_with_the_token_header():
    response = post((CORPUS / "01-plain-text.eml").read_bytes(), **{"X-Inbound-Token": TOKEN})

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert response.json() == {
        "outcome": "created",
        "reason": "new ticket",
        "ticket": ticket.reference,
        "message": ticket.messages.get().pk,
    }
    assert InboundEmail.objects.get().source == "webhook"


def test_it_accepts_a_bearer_token_and_answers_200_for_a_duplicate():
    raw = eml()
    assert post(raw, Authorization=f"Bearer {TOKEN}").status_code == 201

    response = post(raw, Authorization=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response.json()["outcome"] == "duplicate"
    assert Ticket.objects.count() == 1


def test_an_auto_reply_is_a_success_that_files_nothing():
    response = post(eml(headers={"Auto-Submitted": "auto-replied"}), **{"X-Inbound-Token": TOKEN})

    assert response.status_code == 200
    assert response.json()["outcome"] == "auto_reply" and response.json()["ticket"] is None
    assert Ticket.objects.count() == 0


def test_without_a_token_it_answers_401():
    response = post(eml())

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Ticket.objects.count() == 0 and InboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Inbound-Token": "wrong"},
        {"X-Inbound-Token": TOKEN + "x"},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
    ],
)
def test_a_wrong_token_answers_401_or_403(headers):
    response = post(eml(), **headers)

    assert response.status_code in (401, 403)
    assert Ticket.objects.count() == 0


def test_the_hook_is_off_without_a_configured_token(settings):
    settings.INBOUND_EMAIL_TOKEN = ""

    response = post(eml(), **{"X-Inbound-Token": ""}, Authorization="Bearer ")

    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_a_body_over_the_limit_answers_413(settings):
    settings.MAX_INBOUND_EMAIL_BYTES = 1000

    response = post(eml(body="x" * 5000), **{"X-Inbound-Token": TOKEN})

    assert response.status_code == 413
    assert response.json()["outcome"] == "too_large"
    assert Ticket.objects.count() == 0


def test_a_body_larger_than_form_uploads_may_be_is_still_taken(settings):
    """A whole email with attachments is bigger than DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB)."""
    settings.MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024
    big = b"A" * (3 * 1024 * 1024)
    raw = (
        b"From: pat@example.com\nSubject: Big\nMessage-ID: <big@example.com>\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nLogs.\n'
        b'--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename="log.txt"\n\n'
        + big
        + b"\n--b--\n"
    )

    response = post(raw, **{"X-Inbound-Token": TOKEN})

    assert response.status_code == 201
    attachment = Ticket.objects.get().messages.get().attachments.get()
    assert attachment.size >= len(big)


def test_only_post_is_allowed():
    assert Client().get(URL, headers={"X-Inbound-Token": TOKEN}).status_code == 405


def test_an_empty_body_is_a_bad_request():
    assert post(b"", **{"X-Inbound-Token": TOKEN}).status_code == 400
