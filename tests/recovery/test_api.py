"""The recovery case API: opening by hand, reading, changing, and who may do what."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Tier
from recovery.models import RecoveryCase, RecoveryCaseEvent

pytestmark = pytest.mark.django_db

CASES = "/api/v1/recovery/cases/"


def case_url(case_id) -> str:
    return f"{CASES}{case_id}/"


def open_case(client, ticket, failure_type="sla_breach", facts=None):
    return client.post(
        CASES,
        {"ticket": ticket.pk, "failure_type": failure_type, "facts": facts or {}},
        format="json",
    )


# --- opening a case by hand ------------------------------------------------------


def test_it_opens_a_scored_case_from_an_agents_report(client_for, agent, customer, ticket):
    customer.tier = Tier.GOLD
    customer.language = "es"
    customer.save(update_fields=["tier", "language"])

    response = open_case(
        client_for(agent),
        ticket,
        facts={"hours_waited": 30, "promised_hours": 8, "agent_name": "Sam"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ticket"] == ticket.pk
    assert body["ticket_reference"] == f"HD-{ticket.pk}"
    assert body["customer"] == "customer@example.com"
    assert body["failure_type"] == "sla_breach"
    assert body["facts"] == {"hours_waited": 30, "promised_hours": 8, "agent_name": "Sam"}
    assert body["status"] == "open"
    assert body["outcome"] == ""
    reasons = {r["factor"]: r["points"] for r in body["score_reasons"]}
    assert {"failure_type", "hours_late", "preventable", "tier"} <= set(reasons)
    assert body["severity"] == sum(reasons.values())
    assert 0 < body["severity"] <= 100
    assert all(r["detail"] for r in body["score_reasons"])
    assert 0 <= body["recovery_chance"] <= 100
    assert body["recovery_chance_reasons"]
    # Drafted from the facts, in the customer's language; not sent until an agent says so.
    apology = body["apology"]
    assert apology["language"] == "es"
    assert "30 horas" in apology["body"] and "8" in apology["body"]
    assert apology["edited"] is False and apology["sent_at"] is None
    # The shipped rule for a missed target of this severity, within an agent's limit (50).
    assert body["compensation"] == {
        "kind": "credit",
        "amount": "15.00",
        "currency": "EUR",
        "can_grant": True,
    }
    assert "15,00 EUR" in apology["body"]  # the offer is in the draft
    assert [s["failure_type"] for s in body["signals"]] == ["sla_breach"]
    case = RecoveryCase.objects.get(pk=body["id"])
    assert case.opened_by == agent
    assert list(case.events.values_list("type", flat=True)) == [
        "case.opened",
        "case.apology_drafted",
    ]


def test_a_second_report_on_the_same_ticket_joins_the_open_case(client_for, agent, ticket):
    client = client_for(agent)
    first = open_case(client, ticket, "long_wait", {"hours_waited": 10, "promised_hours": 8})
    second = open_case(client, ticket, "negative_sentiment", {"hours_waited": 40})

    assert first.status_code == 201
    assert second.status_code == 200, second.content
    assert second.json()["id"] == first.json()["id"]
    assert [s["failure_type"] for s in second.json()["signals"]] == [
        "long_wait",
        "negative_sentiment",
    ]
    # The worse report wins, and the case scores higher for both.
    assert second.json()["facts"]["hours_waited"] == 40
    assert second.json()["severity"] > first.json()["severity"]
    assert RecoveryCase.objects.count() == 1
    listed = client.get(CASES, {"ticket": ticket.pk}).json()
    assert [c["id"] for c in listed["results"]] == [first.json()["id"]]


def test_it_refuses_an_unknown_ticket_as_a_field_error(client_for, agent):
    response = client_for(agent).post(
        CASES, {"ticket": 999999, "failure_type": "overcharge"}, format="json"
    )
    assert response.status_code == 400
    assert "ticket" in response.json()


@pytest.mark.parametrize(
    "payload",
    [
        {"failure_type": "sla_breach"},
        {"ticket": "abc", "failure_type": "sla_breach"},
        {"ticket": 1, "failure_type": "bad_weather"},
        {"ticket": 1, "failure_type": ["sla_breach"]},
        {"ticket": 1, "failure_type": "sla_breach", "facts": ["hours_waited", 3]},
        {"ticket": 1, "failure_type": "sla_breach", "facts": "lots"},
    ],
)
def test_it_answers_400_for_a_malformed_report(client_for, agent, payload):
    response = client_for(agent).post(CASES, payload, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    ("facts", "key"),
    [
        ({"days_late": -1}, "days_late"),
        ({"days_late": "three"}, "days_late"),
        ({"days_late": True}, "days_late"),
        ({"hours_waited": 10**12}, "hours_waited"),
        ({"promised_hours": "8"}, "promised_hours"),
        ({"amount": "abc", "currency": "EUR"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "1e400"}, "amount"),
        ({"amount": "10.00", "currency": "euro"}, "currency"),
        ({"currency": "EUR"}, "currency"),
        ({"product": 42}, "product"),
        ({"description": "x" * 2001}, "description"),
        ({"order_number": "A" * 65}, "order_number"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_it_answers_400_naming_the_bad_fact(client_for, agent, ticket, facts, key):
    response = open_case(client_for(agent), ticket, "overcharge", facts)

    assert response.status_code == 400, response.content
    assert key in response.json()["facts"]
    assert not RecoveryCase.objects.exists()


def test_it_normalises_facts(client_for, agent, ticket):
    response = open_case(
        client_for(agent),
        ticket,
        "overcharge",
        {
            "amount": 12.5,
            "currency": "eur",
            "days_late": 2.0,
            "product": "  Lamp  ",
            "order_number": "",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["facts"] == {
        "amount": "12.50",
        "currency": "EUR",
        "days_late": 2,
        "product": "Lamp",
    }


def test_it_never_answers_500_for_a_body_that_is_not_json(client_for, agent):
    response = client_for(agent).post(CASES, "{not json", content_type="application/json")
    assert response.status_code == 400


# --- who sees what ------------------------------------------------------------------


def test_customers_see_no_cases_not_even_their_own(
    client_for, agent, customer, other_customer, ticket
):
    case_id = open_case(client_for(agent), ticket).json()["id"]

    for person in (customer, other_customer):
        client = client_for(person)
        listed = client.get(CASES)
        assert listed.status_code == 200
        assert listed.json()["results"] == []
        assert client.get(CASES, {"ticket": ticket.pk}).json()["results"] == []
        assert client.get(case_url(case_id)).status_code == 404
        assert (
            client.patch(case_url(case_id), {"status": "closed"}, format="json").status_code == 404
        )


def test_a_customer_cannot_open_a_case(client_for, customer, other_customer, ticket):
    own = open_case(client_for(customer), ticket)
    theirs = open_case(client_for(other_customer), ticket)

    assert own.status_code == 403
    # Another customer's ticket reads as unknown, never as forbidden.
    assert theirs.status_code == 400
    assert "ticket" in theirs.json()
    assert not RecoveryCase.objects.exists()


def test_anonymous_callers_are_refused(api_client, make_cases):
    (case,) = make_cases(1)
    assert api_client.get(CASES).status_code in (401, 403)
    assert api_client.get(case_url(case.pk)).status_code in (401, 403)


def test_an_unknown_case_answers_404(client_for, agent):
    assert client_for(agent).get(case_url(424242)).status_code == 404


# --- filters ---------------------------------------------------------------------------


def test_it_filters_by_ticket_status_and_failure_type(client_for, agent, make_cases):
    first, second, third = make_cases(3)
    client = client_for(agent)
    RecoveryCase.objects.filter(pk=third.pk).update(status="resolved")

    def ids(**params):
        response = client.get(CASES, params)
        assert response.status_code == 200, response.content
        return sorted(c["id"] for c in response.json()["results"])

    assert ids(ticket=second.ticket_id) == [second.pk]
    assert ids(status="resolved") == [third.pk]
    assert ids(failure_type=first.failure_type) == [first.pk]
    assert ids() == sorted([first.pk, second.pk, third.pk])


@pytest.mark.parametrize("params", [{"ticket": "abc"}, {"status": "maybe"}, {"failure_type": "x"}])
def test_a_bad_filter_answers_400(client_for, agent, params):
    assert client_for(agent).get(CASES, params).status_code == 400


def test_the_list_is_paginated_most_severe_first(client_for, agent, make_cases):
    make_cases(30)
    body = client_for(agent).get(CASES).json()

    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["next"]
    severities = [c["severity"] for c in body["results"]]
    assert severities == sorted(severities, reverse=True)


# --- changing a case ---------------------------------------------------------------------


def test_an_agent_takes_resolves_and_records_the_outcome(client_for, agent, lead, ticket):
    client = client_for(agent)
    case_id = open_case(client, ticket).json()["id"]

    taken = client.patch(
        case_url(case_id),
        {"status": "in_progress", "assigned_to": "LEAD@example.com"},
        format="json",
    )
    assert taken.status_code == 200, taken.content
    assert taken.json()["status"] == "in_progress"
    assert taken.json()["assigned_to"] == "lead@example.com"

    drafted = client.patch(
        case_url(case_id),
        {"apology": {"subject": "We are sorry", "body": "Your reply came 22 hours late."}},
        format="json",
    )
    assert drafted.json()["apology"]["subject"] == "We are sorry"

    resolved = client.patch(
        case_url(case_id), {"status": "resolved", "outcome": "recovered"}, format="json"
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["outcome"] == "recovered"
    case = RecoveryCase.objects.get(pk=case_id)
    assert case.resolved_at is not None
    assert list(RecoveryCaseEvent.objects.filter(case=case).values_list("type", flat=True)) == [
        "case.opened",
        "case.apology_drafted",
        "case.assigned",
        "case.status_changed",
        "case.apology_changed",
        "case.status_changed",
        "case.outcome_set",
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "shelved"}, "status"),
        ({"outcome": "recovered"}, "outcome"),  # the case is still open
        ({"assigned_to": "customer@example.com"}, "assigned_to"),
        ({"assigned_to": "nobody@example.com"}, "assigned_to"),
        ({"facts": {"days_late": -3}}, "facts"),
        ({"apology": {"subject": "x" * 256}}, "apology"),
    ],
)
def test_it_refuses_bad_changes_with_a_field_error(client_for, agent, ticket, payload, field):
    case_id = open_case(client_for(agent), ticket).json()["id"]

    response = client_for(agent).patch(case_url(case_id), payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_closed_case_only_takes_its_outcome(client_for, agent, ticket):
    client = client_for(agent)
    case_id = open_case(client, ticket).json()["id"]
    client.patch(case_url(case_id), {"status": "closed"}, format="json")

    reopened = client.patch(case_url(case_id), {"status": "open"}, format="json")
    edited = client.patch(case_url(case_id), {"apology": {"body": "Sorry"}}, format="json")
    outcome = client.patch(case_url(case_id), {"outcome": "no_answer"}, format="json")

    assert reopened.status_code == 400
    assert edited.status_code == 409
    assert outcome.status_code == 200
    assert outcome.json()["outcome"] == "no_answer"


def test_new_facts_rescore_the_case(client_for, agent, ticket):
    client = client_for(agent)
    opened = open_case(client, ticket, "late_delivery", {"days_late": 1}).json()

    changed = client.patch(
        case_url(opened["id"]), {"facts": {"days_late": 9}}, format="json"
    ).json()

    assert changed["facts"] == {"days_late": 9}
    assert changed["severity"] > opened["severity"]


def test_a_customer_cannot_change_a_case_they_cannot_see(client_for, agent, customer, ticket):
    case_id = open_case(client_for(agent), ticket).json()["id"]
    assert (
        client_for(customer)
        .patch(case_url(case_id), {"status": "closed"}, format="json")
        .status_code
        == 404
    )


# --- compensation: may the viewer grant it? --------------------------------------------------


@pytest.mark.parametrize(
    ("role", "amount", "can_grant"),
    [
        ("agent", "50.00", True),
        ("agent", "50.01", False),
        ("lead", "200.00", True),
        ("lead", "250.00", False),
        ("manager", "5000.00", True),
    ],
)
def test_can_grant_follows_the_viewers_role_limit(
    client_for, agent, lead, manager, make_cases, role, amount, can_grant
):
    (case,) = make_cases(1)
    RecoveryCase.objects.filter(pk=case.pk).update(compensation_amount=Decimal(amount))
    viewer = {"agent": agent, "lead": lead, "manager": manager}[role]

    compensation = client_for(viewer).get(case_url(case.pk)).json()["compensation"]

    assert compensation == {
        "kind": "credit",
        "amount": amount,
        "currency": "EUR",
        "can_grant": can_grant,
    }


# --- query budget ------------------------------------------------------------------------


def test_the_case_list_costs_the_same_for_10_or_100_cases(client_for, agent, make_cases):
    def cost(n):
        RecoveryCase.objects.all().delete()
        make_cases(n)
        # A fresh user object per request, as a real request loads one.
        client = client_for(type(agent).objects.get(pk=agent.pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CASES, {"page_size": 100})
        assert response.status_code == 200
        assert len(response.json()["results"]) == n
        return len(queries)

    # count + one page of cases (ticket, customer, assignee, playbook, root cause joined)
    # + their signals + their playbook steps (with who ticked them joined)
    # + the viewer's approval limit (read once per request, for `can_grant`).
    assert cost(10) == cost(100) == 5
