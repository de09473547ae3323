"""Playbooks: shipped defaults, the generic fallback, managers' edits, and agents ticking
steps off from the ticket page (htmx) or the case page."""

import pytest
from django.urls import reverse

from recovery import services
from recovery.models import GENERIC, CaseStep, Playbook, RecoveryCase, StepKind
from tests import factories
from tests.recovery.conftest import file_ticket

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "recovery-panel"}
SITUATIONS = [
    "technical_difficulty",
    "defective_product",
    "overcharge",
    "late_delivery",
    "poor_support",
    "proactive",
    "generic",
]


def test_the_six_mission_situations_and_the_fallback_ship_with_six_moves_each():
    playbooks = {p.situation: p for p in Playbook.objects.prefetch_related("steps")}

    assert sorted(playbooks) == sorted(SITUATIONS)
    for playbook in playbooks.values():
        assert [step.kind for step in playbook.steps.all()] == [
            StepKind.LISTEN,
            StepKind.APOLOGISE,
            StepKind.RESOLVE,
            StepKind.COMPENSATE,
            StepKind.ROOT_CAUSE,
            StepKind.FOLLOW_UP,
        ], playbook.situation
        assert all(step.guidance for step in playbook.steps.all())
    # Worded for the situation, not the same six lines everywhere.
    titles = {tuple(s.title for s in p.steps.all()) for p in playbooks.values()}
    assert len(titles) == len(SITUATIONS)


def test_failure_types_without_a_playbook_fall_back_to_the_generic_one(agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="handoffs").case

    assert case.playbook.situation == GENERIC
    assert case.steps.count() == 6


def test_an_inactive_playbook_gives_way_to_the_generic_one(agent, ticket):
    Playbook.objects.filter(situation="overcharge").update(is_active=False)

    case = services.case_open(actor=agent, ticket=ticket, failure_type="overcharge").case

    assert case.playbook.situation == GENERIC


def test_only_managers_edit_playbooks(client, agent, manager):
    url = reverse("manager:recovery_playbooks")
    playbook = Playbook.objects.get(situation="overcharge")
    edit = reverse("manager:recovery_playbook_edit", args=[playbook.pk])

    client.force_login(agent)
    assert client.get(url).status_code == 403
    assert client.post(edit, {}).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.get(edit).status_code == 200


def steps_post(playbook, rows, extra=None):
    data = {
        "situation": playbook.situation,
        "name": playbook.name,
        "summary": playbook.summary,
        "is_active": "on",
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"steps-{i}-{key}"] = value
        data[f"steps-{i}-playbook"] = playbook.pk
    data.update(extra or {})
    return data


def test_a_managers_edit_reaches_new_cases_and_leaves_open_ones_alone(
    client, manager, agent, customer, ticket
):
    before = services.case_open(actor=agent, ticket=ticket, failure_type="overcharge").case
    playbook = Playbook.objects.get(situation="overcharge")
    steps = list(playbook.steps.all())
    rows = [
        {
            "id": s.pk,
            "position": s.position,
            "kind": s.kind,
            "title": s.title,
            "guidance": s.guidance,
        }
        for s in steps
    ]
    rows[0]["title"] = "Ask for the invoice, then listen"
    rows[-1]["DELETE"] = "on"
    rows.append({"position": 5, "kind": "other", "title": "Check the next bill", "guidance": ""})

    client.force_login(manager)
    response = client.post(
        reverse("manager:recovery_playbook_edit", args=[playbook.pk]), steps_post(playbook, rows)
    )

    assert response.status_code == 302
    titles = list(playbook.steps.order_by("position").values_list("title", flat=True))
    assert titles[:2] == ["Check the next bill", "Ask for the invoice, then listen"]
    assert len(titles) == 6
    after = services.case_open(
        actor=agent, ticket=file_ticket(customer, subject="Other"), failure_type="overcharge"
    )
    assert not after.created  # same customer and type within 14 days: it joins
    other = factories.CustomerFactory()
    fresh = services.case_open(
        actor=agent, ticket=file_ticket(other, subject="Billed"), failure_type="overcharge"
    ).case
    assert list(fresh.steps.values_list("title", flat=True))[:2] == titles[:2]
    assert before.steps.first().title == "Listen, and confirm what they were charged"


def test_a_playbook_needs_at_least_one_step(client, manager):
    playbook = Playbook.objects.get(situation="generic")
    rows = [
        {"id": s.pk, "position": s.position, "kind": s.kind, "title": s.title, "DELETE": "on"}
        for s in playbook.steps.all()
    ]
    client.force_login(manager)

    response = client.post(
        reverse("manager:recovery_playbook_edit", args=[playbook.pk]), steps_post(playbook, rows)
    )

    assert response.status_code == 400
    assert playbook.steps.count() == 6


def step_url(case, step):
    return reverse("manager:recovery_case_step", args=[case.pk, step.pk])


def test_an_agent_ticks_a_step_from_the_ticket_panel_and_it_records_who_and_when(
    client, agent, ticket
):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery").case
    step = case.steps.first()
    client.force_login(agent)

    response = client.post(step_url(case, step), {"done": "on", "ticket": ticket.pk}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section") and 'id="recovery-panel"' in body
    assert "Done by Alex Agent" in body
    step.refresh_from_db()
    assert step.completed_by == agent and step.completed_at is not None
    assert case.events.filter(type="case.step_done", data__step_id=step.pk).exists()

    # An unticked box posts no "done": the step is open again.
    response = client.post(step_url(case, step), {"ticket": ticket.pk}, **HTMX)
    step.refresh_from_db()
    assert step.completed_at is None and step.completed_by is None
    assert case.events.filter(type="case.step_undone").count() == 1


def test_without_javascript_ticking_returns_to_the_page_it_came_from(client, agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery").case
    first, second = case.steps.all()[:2]
    client.force_login(agent)

    from_ticket = client.post(step_url(case, first), {"done": "on", "ticket": ticket.pk})
    from_case = client.post(step_url(case, second), {"done": "on"})

    assert from_ticket["Location"] == reverse("agent:ticket", args=[ticket.pk])
    assert from_case["Location"] == reverse("manager:recovery_case", args=[case.pk])
    assert CaseStep.objects.filter(case=case, completed_at__isnull=False).count() == 2


def test_steps_of_a_closed_case_no_longer_change(client, agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery").case
    services.case_update(actor=agent, case=case, status="closed", outcome="recovered")
    step = case.steps.first()
    client.force_login(agent)

    response = client.post(step_url(case, step), {"done": "on", "ticket": ticket.pk}, **HTMX)

    assert response.status_code == 409
    step.refresh_from_db()
    assert step.completed_at is None


def test_another_cases_step_and_customers_are_refused(
    client, agent, customer, ticket, other_ticket
):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery").case
    other = services.case_open(actor=agent, ticket=other_ticket, failure_type="overcharge").case

    client.force_login(agent)
    assert client.post(step_url(case, other.steps.first()), {"done": "on"}).status_code == 404
    client.force_login(customer)
    assert client.post(step_url(case, case.steps.first()), {"done": "on"}).status_code == 403


def test_a_case_without_steps_gets_its_playbook_on_request(client, agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="reopened").case
    case.steps.all().delete()
    RecoveryCase.objects.filter(pk=case.pk).update(playbook=None)
    client.force_login(agent)

    response = client.post(
        reverse("manager:recovery_case_playbook", args=[case.pk]), {"ticket": ticket.pk}, **HTMX
    )

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.playbook.situation == GENERIC
    assert case.steps.count() == 6
