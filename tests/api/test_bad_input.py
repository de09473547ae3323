"""Bad input of any shape answers a 4xx JSON body, never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tickets/"


def assert_json_4xx(response, expected: int | None = None) -> None:
    assert 400 <= response.status_code < 500, response.content[:300]
    if expected is not None:
        assert response.status_code == expected
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"subject": "x" * 100_000, "body": 42}, "subject"),
        ({"subject": "Fine", "body": 42}, "body"),
        ({"subject": ["a"], "body": "b"}, "subject"),
        ({"subject": {"a": 1}, "body": "b"}, "subject"),
        ({"subject": True, "body": "b"}, "subject"),
        ({"subject": "   ", "body": "b"}, "subject"),
        ({"subject": "a\x00b", "body": "b"}, "subject"),
        ({"subject": "a", "body": "x" * 50_001}, "body"),
        ({"subject": "a"}, "body"),
        ({"subject": "a", "body": "b", "priority": "meh"}, "priority"),
        ({"subject": "a", "body": "b", "tags": "not-a-list"}, "tags"),
        ({"subject": "a", "body": "b", "tags": [str(i) for i in range(21)]}, "tags"),
        ({"subject": "a", "body": "b", "requester": "not an email"}, "requester"),
        ({"subject": "a", "body": "b", "requester": "x" * 300 + "@example.com"}, "requester"),
    ],
)
def test_it_answers_400_for_bad_ticket_fields(client_for, agent, payload, field):
    response = client_for(agent).post(LIST, payload, format="json")

    assert_json_4xx(response, 400)
    assert field in response.json()


@pytest.mark.parametrize("payload", [None, [], [1, 2], "text", 42])
def test_it_answers_400_for_json_that_is_not_an_object(client_for, customer, payload):
    response = client_for(customer).post(LIST, json.dumps(payload), content_type="application/json")

    assert_json_4xx(response, 400)


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"\xff\xfe\x00", b'{"subject": NaN, "body": "x"}', b"[" * 100_000],
)
def test_it_answers_400_for_malformed_json(client_for, customer, raw):
    response = client_for(customer).generic("POST", LIST, raw, content_type="application/json")

    assert_json_4xx(response, 400)


def test_it_answers_415_for_an_unsupported_content_type(client_for, customer):
    response = client_for(customer).generic(
        "POST", LIST, b"subject=a&body=b", content_type="text/plain"
    )

    assert_json_4xx(response, 415)


def test_it_answers_413_for_an_oversized_json_body(client_for, customer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    payload = {"subject": "a", "body": "x" * 2000}

    response = client_for(customer).post(LIST, payload, format="json")

    assert_json_4xx(response, 413)


def test_it_answers_413_for_an_oversized_form_field(client_for, customer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client_for(customer).post(LIST, {"subject": "a", "body": "x" * 2000})

    assert_json_4xx(response, 413)


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "bogus"},
        {"status": None},
        {"priority": 3},
        {"assignee": "not-an-email"},
        {"assignee": 7},
        {"team": ["Support"]},
        {"tags": [{"name": "x"}]},
        {"subject": ""},
    ],
)
def test_it_answers_400_for_bad_changes(client_for, agent, ticket, payload):
    response = client_for(agent).patch(f"/api/v1/tickets/{ticket.pk}/", payload, format="json")

    assert_json_4xx(response, 400)


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": ""}, {"body": 1}, {"body": "x", "internal": "maybe"}, {"body": None}],
)
def test_it_answers_400_for_bad_messages(client_for, agent, ticket, payload):
    response = client_for(agent).post(
        f"/api/v1/tickets/{ticket.pk}/messages/", payload, format="json"
    )

    assert_json_4xx(response, 400)


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"priority": "meh"},
        {"updated_after": "yesterday"},
        {"updated_before": "2024-13-45T99:00"},
        {"ordering": "password"},
        {"search": "x" * 201},
        {"requester": "a\x00b"},
        {"page": "abc"},
        {"page": "999"},
    ],
)
def test_it_answers_4xx_for_bad_filters(client_for, agent, ticket, query):
    response = client_for(agent).get(LIST, query)

    assert_json_4xx(response)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tickets/abc/",
        "/api/v1/tickets/-1/",
        "/api/v1/tickets/0/",
        "/api/v1/tickets/99999999999999999999999999/",
        "/api/v1/tickets/99999999999999999999999999/messages/",
    ],
)
def test_it_answers_404_json_for_unknown_ids(client_for, agent, path):
    response = client_for(agent).get(path)

    assert_json_4xx(response, 404)


def test_it_answers_405_for_methods_it_does_not_offer(client_for, agent, ticket):
    client = client_for(agent)

    assert_json_4xx(client.delete(f"/api/v1/tickets/{ticket.pk}/"), 405)
    assert_json_4xx(client.put(f"/api/v1/tickets/{ticket.pk}/", {}, format="json"), 405)
