"""Survey results for the manager dashboard: response rate, CSAT %, NPS and average
effort per ISO week, team, agent, channel and category, aggregated by the database."""

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.errors import ApplicationError, PermissionDenied
from surveys import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db

WEEK_47 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # Monday of ISO week 2026-W47
WEEK_48 = WEEK_47 + timedelta(days=7)


def survey(ticket, kind, sent_at, score=None, comment=""):
    made = services.survey_create(ticket=ticket, kind=kind, scheduled_for=sent_at)
    services.survey_mark_sent(survey=made, at=sent_at)
    if score is not None:
        services.survey_answer(
            survey=made,
            score=score,
            comment=comment,
            at=sent_at + timedelta(hours=1),
            announce=False,
        )
    return made


@pytest.fixture
def data(customer, agent, team):
    billing = factories.TeamFactory(name="Billing")
    other_agent = factories.AgentFactory(full_name="Bo Billing")
    a = factories.TicketFactory(
        requester=customer, team=team, assignee=agent, channel="email", category="billing"
    )
    b = factories.TicketFactory(
        requester=customer, team=billing, assignee=other_agent, channel="web", category="general"
    )
    # Week 47, Support, Alex, email, billing: CSAT 5, 4, 2 and one unanswered; NPS 10, 9, 6, 8.
    for score in (5, 4, 2, None):
        survey(a, "csat", WEEK_47 + timedelta(days=1), score)
    for score in (10, 9, 6, 8):
        survey(a, "nps", WEEK_47 + timedelta(days=2), score)
    # Week 48, Billing, Bo, web, general: CSAT 1 with a comment and one unanswered; effort 7, 5.
    survey(b, "csat", WEEK_48 + timedelta(days=6, hours=13), 1, "Slow.")  # Sunday 23:00 UTC
    survey(b, "csat", WEEK_48, None)
    survey(b, "effort", WEEK_48 + timedelta(days=3), 7)
    survey(b, "effort", WEEK_48 + timedelta(days=3), 5)
    # Never sent: not counted anywhere.
    services.survey_create(ticket=b, kind="csat", scheduled_for=WEEK_48)
    return {"support": team, "billing": billing, "alex": agent, "bo": other_agent}


def numbers(row) -> dict:
    return {
        "sent": row.sent,
        "answered": row.answered,
        "response_rate": row.response_rate,
        "csat_percent": row.csat_percent,
        "nps": row.nps,
        "effort_average": row.effort_average,
        "comments": row.comments,
    }


SUPPORT = {
    "sent": 8,
    "answered": 7,
    "response_rate": 87.5,
    "csat_percent": 66.7,  # 2 of 3 are 4 or 5
    "nps": 25.0,  # 2 promoters - 1 detractor of 4
    "effort_average": None,
    "comments": 0,
}
BILLING = {
    "sent": 4,
    "answered": 3,
    "response_rate": 75.0,
    "csat_percent": 0.0,
    "nps": None,
    "effort_average": 6.0,
    "comments": 1,
}


def test_the_totals(manager, data):
    results = selectors.survey_results_for(user=manager)

    assert numbers(results.total) == {
        "sent": 12,
        "answered": 10,
        "response_rate": 83.3,
        "csat_percent": 50.0,
        "nps": 25.0,
        "effort_average": 6.0,
        "comments": 1,
    }
    assert results.rows == []


def test_per_iso_week(manager, data):
    rows = selectors.survey_results_for(user=manager, by="week").rows

    assert [row.label for row in rows] == ["2026-W47", "2026-W48"]
    assert [numbers(row) for row in rows] == [SUPPORT, BILLING]


@pytest.mark.parametrize(
    ("by", "labels"),
    [
        ("team", ["Billing", "Support"]),
        ("agent", ["Alex Agent", "Bo Billing"]),
        ("channel", ["Email", "Web portal"]),
        ("category", ["Billing", "General question"]),
    ],
)
def test_per_team_agent_channel_and_category(manager, data, by, labels):
    rows = {
        row.label: numbers(row) for row in selectors.survey_results_for(user=manager, by=by).rows
    }

    assert sorted(rows) == labels
    support_label = {
        "team": "Support",
        "agent": "Alex Agent",
        "channel": "Email",
        "category": "Billing",
    }[by]
    billing_label = next(label for label in labels if label != support_label)
    assert rows[support_label] == SUPPORT
    assert rows[billing_label] == BILLING


def test_a_period_and_a_kind_narrow_the_results(manager, data):
    week_48 = selectors.survey_results_for(
        user=manager, since=WEEK_48, until=WEEK_48 + timedelta(days=7)
    )
    nps_only = selectors.survey_results_for(user=manager, kind="nps")

    assert numbers(week_48.total) == BILLING
    assert (nps_only.total.sent, nps_only.total.nps, nps_only.total.csat_percent) == (4, 25.0, None)


def test_tickets_without_team_or_assignee_have_their_own_row(manager, customer):
    survey(factories.TicketFactory(requester=customer), "csat", WEEK_47, 5)

    [team_row] = selectors.survey_results_for(user=manager, by="team").rows
    [agent_row] = selectors.survey_results_for(user=manager, by="agent").rows

    assert (team_row.key, team_row.label, team_row.csat_percent) == (None, "No team", 100.0)
    assert (agent_row.key, agent_row.label) == (None, "Unassigned")


def test_nothing_sent_gives_empty_numbers(manager):
    results = selectors.survey_results_for(user=manager, by="week")

    assert results.rows == []
    assert numbers(results.total) == {
        "sent": 0,
        "answered": 0,
        "response_rate": None,
        "csat_percent": None,
        "nps": None,
        "effort_average": None,
        "comments": 0,
    }


@pytest.mark.parametrize("by", [None, "week", "team", "agent", "channel", "category"])
def test_it_runs_a_constant_number_of_queries(
    manager, customer, data, by, django_assert_num_queries
):
    # The total (1) and, when grouped, the groups (1): aggregation happens in the database.
    expected = 1 if by is None else 2
    with django_assert_num_queries(expected):
        selectors.survey_results_for(user=manager, by=by)
    for day in range(30):
        survey(
            factories.TicketFactory(requester=customer), "csat", WEEK_47 - timedelta(days=day), 3
        )
    with django_assert_num_queries(expected):
        selectors.survey_results_for(user=manager, by=by)


def test_comments_come_with_their_ticket_narrowed_like_a_row(manager, data):
    comments = selectors.survey_comment_list_for(user=manager, team_id=data["billing"].pk)
    low = selectors.survey_comment_list_for(user=manager, low_only=True)
    none = selectors.survey_comment_list_for(user=manager, team_id=data["support"].pk)

    assert [(c.comment, c.survey.ticket.team.name) for c in comments] == [("Slow.", "Billing")]
    assert [c.score for c in low] == [1]
    assert list(none) == []


def test_customers_may_not_see_results(customer, data):
    with pytest.raises(PermissionDenied):
        selectors.survey_results_for(user=customer)
    with pytest.raises(PermissionDenied):
        selectors.survey_comment_list_for(user=customer)


@pytest.mark.parametrize(("field", "value"), [("by", "planet"), ("kind", "vibes")])
def test_it_refuses_unknown_groupings_and_kinds(manager, field, value):
    with pytest.raises(ApplicationError) as error:
        selectors.survey_results_for(user=manager, **{field: value})

    assert error.value.field == field
