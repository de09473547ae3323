"""POST /api/v1/auth/token/: email and password in, a usable token out, throttled."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from accounts.api.views import ObtainTokenView
from accounts.models import ApiToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def test_it_issues_a_token_that_authenticates(api_client, customer):
    response = api_client.post(
        TOKEN, {"email": "Customer@Example.com", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    key = response.json()["token"]
    stored = ApiToken.objects.get(user=customer)
    assert stored.key_hash == ApiToken.hash(key)
    assert key not in (stored.key_hash, stored.prefix)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/tickets/").status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "customer@example.com", "password": "wrong"},
        {"email": "nobody@example.com", "password": PASSWORD},
    ],
)
def test_it_refuses_wrong_credentials_with_400(api_client, customer, credentials):
    response = api_client.post(TOKEN, credentials, format="json")

    assert response.status_code == 400
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_it_refuses_an_inactive_user(api_client, customer):
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    response = api_client.post(
        TOKEN, {"email": customer.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [{}, {"email": "not-an-email", "password": "x"}, {"email": 42, "password": None}, [1, 2]],
)
def test_it_answers_400_for_malformed_requests(api_client, payload):
    response = api_client.post(TOKEN, payload, format="json")

    assert response.status_code == 400
    assert isinstance(response.json(), dict)


def test_it_refuses_revoked_and_made_up_tokens(api_client, customer):
    from django.utils import timezone

    token, key = ApiToken.issue(customer)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])

    for header in (f"Token {key}", "Token made-up"):
        api_client.credentials(HTTP_AUTHORIZATION=header)
        assert api_client.get("/api/v1/tickets/").status_code == 401


def test_it_is_throttled_under_its_own_scope(api_client, customer, monkeypatch):
    assert ObtainTokenView.throttle_scope == "auth_token"
    # DRF reads the rates once at import, so the test narrows them on the class.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth_token": "2/min"})
    wrong = {"email": customer.email, "password": "wrong"}

    statuses = [api_client.post(TOKEN, wrong, format="json").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]
    assert "Retry-After" in api_client.post(TOKEN, wrong, format="json").headers
