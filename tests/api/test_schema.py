"""The OpenAPI document: served, version 3, and clean for the ticket API."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_serves_an_openapi_3_document(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tickets/"])
    assert {"get", "patch"} <= set(paths["/api/v1/tickets/{ticket_id}/"])
    assert {"get", "post"} <= set(paths["/api/v1/tickets/{ticket_id}/messages/"])
    assert "/api/v1/auth/token/" in paths


def test_it_serves_the_interactive_docs(api_client):
    assert api_client.get("/api/docs/").status_code == 200


def test_the_ticket_and_token_schema_has_no_warnings(tmp_path):
    """Generated for these routes alone, so other apps' warnings do not mask ours."""
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "tests.api.schema_urls",
        "--file",
        str(tmp_path / "schema.yml"),
    )
