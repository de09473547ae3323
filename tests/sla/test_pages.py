"""Managers edit SLA policies and calendars; open clocks follow the change."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from sla.models import BusinessCalendar, Policy, SlaTarget, TargetKind
from tickets import services

pytestmark = pytest.mark.django_db

MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def targets_post(policy_targets):
    data = {
        "targets-TOTAL_FORMS": str(len(policy_targets)),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "1",
        "targets-MAX_NUM_FORMS": "4",
    }
    for i, (priority, first, following, resolution) in enumerate(policy_targets):
        data.update(
            {
                f"targets-{i}-priority": priority,
                f"targets-{i}-first_reply_minutes": first,
                f"targets-{i}-next_reply_minutes": following,
                f"targets-{i}-resolution_minutes": resolution,
            }
        )
    return data


def test_only_managers_see_the_sla_pages(client, agent, manager):
    assert client.get("/manager/sla/").status_code == 302
    client.force_login(agent)
    assert client.get("/manager/sla/").status_code == 404
    client.force_login(manager)
    assert client.get("/manager/sla/").status_code == 200


def test_a_manager_changes_a_policy_and_open_tickets_follow_it(
    client, manager, customer, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    data = {
        "name": "Everyone",
        "position": "1",
        "is_active": "on",
        "is_default": "on",
        "warning_percent": "75",
    }
    response = client.post(
        "/manager/sla/policies/new/", {**data, **targets_post([("normal", "30", "60", "240")])}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get(name="Everyone")
    with (
        time_machine.travel(MONDAY_10, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = services.ticket_create(
            actor=customer, requester=customer, subject="Slow", body="x"
        )
    resolution = SlaTarget.objects.get(ticket=ticket, kind=TargetKind.RESOLUTION)
    assert resolution.due_at == MONDAY_10 + timedelta(minutes=240)

    # An hour later the manager loosens resolution to 8 hours: the open clock is re-timed.
    edit = {**data, **targets_post([("normal", "30", "60", "480")])}
    edit.update(
        {
            "targets-INITIAL_FORMS": "1",
            "targets-0-id": str(policy.targets.get().pk),
            "targets-0-policy": str(policy.pk),
        }
    )
    with (
        time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/manager/sla/policies/{policy.pk}/", edit)
    assert response.status_code == 302, response.content.decode()[:2000]

    resolution.refresh_from_db()
    assert resolution.target_seconds == 480 * 60
    assert resolution.due_at == MONDAY_10 + timedelta(minutes=480)


def test_a_bad_policy_form_answers_400_with_errors(client, manager):
    client.force_login(manager)
    data = {"name": "", "position": "x", "warning_percent": "200"}
    data.update(targets_post([("normal", "-5", "", "")]))
    response = client.post("/manager/sla/policies/new/", data)
    assert response.status_code == 400
    assert not Policy.objects.exists()


def test_a_manager_edits_a_calendar_with_split_hours_and_a_closed_date(client, manager):
    client.force_login(manager)
    data = {
        "name": "Lisbon",
        "time_zone": "Europe/Lisbon",
        "holiday_country": "PT",
        "holiday_subdivision": "",
        "spans-TOTAL_FORMS": "2",
        "spans-INITIAL_FORMS": "0",
        "spans-0-weekday": "0",
        "spans-0-opens": "09:00",
        "spans-0-closes": "13:00",
        "spans-1-weekday": "0",
        "spans-1-opens": "14:00",
        "spans-1-closes": "18:00",
        "closed-TOTAL_FORMS": "1",
        "closed-INITIAL_FORMS": "0",
        "closed-0-date": "2026-12-31",
        "closed-0-reason": "Year end",
    }
    response = client.post("/manager/sla/calendars/new/", data)
    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get(name="Lisbon")
    assert calendar.spans.count() == 2
    assert calendar.closed_dates.get().reason == "Year end"


def test_an_unknown_holiday_country_is_a_form_error(client, manager):
    client.force_login(manager)
    data = {
        "name": "Nowhere",
        "time_zone": "UTC",
        "holiday_country": "QQ",
        "spans-TOTAL_FORMS": "0",
        "spans-INITIAL_FORMS": "0",
        "closed-TOTAL_FORMS": "0",
        "closed-INITIAL_FORMS": "0",
    }
    response = client.post("/manager/sla/calendars/new/", data)
    assert response.status_code == 400


def test_the_queue_sorts_and_filters_by_sla(
    client, agent, customer, django_capture_on_commit_callbacks
):
    from tests.sla.conftest import make_policy

    make_policy("Everyone")
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(MONDAY_10, tick=False):
            late = services.ticket_create(
                actor=customer, requester=customer, subject="Old one", body="x"
            )
        with time_machine.travel(MONDAY_10 + timedelta(hours=7, minutes=30), tick=False):
            fresh = services.ticket_create(
                actor=customer, requester=customer, subject="New one", body="x"
            )
    from sla.services import sla_scan

    with time_machine.travel(MONDAY_10 + timedelta(hours=7, minutes=40), tick=False):
        sla_scan()  # the old ticket's first reply (60 min) is breached; the new one's is due in 50 min
        soonest = client.get("/agent/?view=open&sla=due")
        breached = client.get("/agent/?view=open&sla=breached")
        soon = client.get("/agent/?view=open&sla=soon")

    page = soonest.content.decode()
    assert page.index(late.subject) < page.index(fresh.subject)
    assert (
        late.subject in breached.content.decode() and fresh.subject not in breached.content.decode()
    )
    # Both are due within the hour: the new one's first reply, the old one's resolution (8 h).
    assert fresh.subject in soon.content.decode() and late.subject in soon.content.decode()
