"""GET /api/v1/surveys/responses/: scoping, fields, filters, query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.conftest import api_as
from tests.surveys.conftest import make_answered

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/responses/"


@pytest.fixture
def responses(customer, other_customer):
    return {
        "mine": make_answered(customer=customer, score=5, comment="Great, thanks!"),
        "mine_nps": make_answered(customer=customer, kind="nps", score=9),
        "theirs": make_answered(customer=other_customer, score=1, comment="Too slow."),
    }


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_a_customer_sees_only_their_own_answers(customer, responses):
    response = api_as(customer).get(URL)

    assert response.status_code == 200
    assert ids(response) == {responses["mine"].pk, responses["mine_nps"].pk}
    row = next(r for r in response.json()["results"] if r["id"] == responses["mine"].pk)
    ticket = responses["mine"].survey.ticket
    assert row["kind"] == "csat"
    assert row["score"] == 5
    assert row["comment"] == "Great, thanks!"
    assert row["ticket"] == ticket.pk
    assert row["ticket_reference"] == f"HD-{ticket.pk}"
    assert row["answered_at"]
    assert "customer_email" not in row


def test_another_customer_sees_none_of_them(customer, responses):
    stranger = factories.CustomerFactory(email="stranger@example.com")

    response = api_as(stranger).get(URL)

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_manager_sees_all_answers_with_the_customers_email(manager, responses):
    response = api_as(manager).get(URL)

    assert response.status_code == 200
    assert ids(response) == {r.pk for r in responses.values()}
    emails = {r["customer_email"] for r in response.json()["results"]}
    assert emails == {"customer@example.com", "other@example.com"}


def test_an_agent_sees_all_answers(agent, responses):
    assert ids(api_as(agent).get(URL)) == {r.pk for r in responses.values()}


def test_anonymous_callers_are_refused(api_client, responses):
    response = api_client.get(URL)

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_it_filters_by_kind_ticket_and_answer_time(manager, customer, responses):
    client = api_as(manager)
    old = make_answered(customer=customer, score=3, answered_at=timezone.now() - timedelta(days=30))
    ticket_id = responses["theirs"].survey.ticket_id

    assert ids(client.get(URL, {"kind": "nps"})) == {responses["mine_nps"].pk}
    assert ids(client.get(URL, {"ticket": ticket_id})) == {responses["theirs"].pk}
    since = (timezone.now() - timedelta(days=7)).isoformat()
    assert old.pk not in ids(client.get(URL, {"answered_after": since}))
    assert old.pk in ids(client.get(URL, {"answered_after": "2000-01-01"}))


def test_filters_keep_a_customer_in_their_own_answers(customer, responses):
    ticket_id = responses["theirs"].survey.ticket_id

    assert ids(api_as(customer).get(URL, {"ticket": ticket_id})) == set()


@pytest.mark.parametrize(
    "params", [{"kind": "bogus"}, {"ticket": "abc"}, {"answered_after": "yesterday-ish"}]
)
def test_it_refuses_malformed_filters_with_a_400(manager, responses, params):
    response = api_as(manager).get(URL, params)

    assert response.status_code == 400
    assert next(iter(params)) in response.json()


def test_it_lists_in_a_constant_number_of_queries(manager, customer, django_assert_max_num_queries):
    client = api_as(manager)
    for _ in range(10):
        make_answered(customer=customer)
    # The count (1) and the page with survey, ticket and customer joined in (1).
    with django_assert_max_num_queries(2):
        first = client.get(URL, {"page_size": 100})
    for _ in range(90):
        make_answered(customer=customer)
    with django_assert_max_num_queries(2):
        second = client.get(URL, {"page_size": 100})
    assert len(first.json()["results"]) == 10
    assert len(second.json()["results"]) == 100
