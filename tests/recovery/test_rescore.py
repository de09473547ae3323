"""Every 15 minutes the beat rescores open cases whose stored score has gone stale."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from helpdesk.celery import app
from recovery import services, tasks
from recovery.models import RecoveryCase
from tests.recovery.conftest import file_ticket

pytestmark = pytest.mark.django_db


def test_the_beat_rescores_every_15_minutes():
    entry = app.conf.beat_schedule["recovery-rescore"]

    assert entry["task"] == "recovery.tasks.rescore_open_cases"
    assert entry["schedule"] == 15 * 60
    assert entry["options"]["expires"] < 15 * 60


def test_stale_open_cases_are_rescored_as_they_wait_and_others_are_left_alone(agent, customer):
    waiting = [
        services.case_open(
            actor=agent, ticket=file_ticket(customer, subject=f"t{i}"), failure_type=kind
        ).case
        for i, kind in enumerate(["handoffs", "reopened", "long_wait", "overcharge", "low_csat"])
    ]
    finished = services.case_open(
        actor=agent, ticket=file_ticket(customer, subject="done"), failure_type="sla_breach"
    ).case
    services.case_update(actor=agent, case=finished, status="closed", outcome="recovered")
    finished.refresh_from_db()

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        fresh = services.case_open(
            actor=agent, ticket=file_ticket(customer, subject="new"), failure_type="repeat_contact"
        ).case
        rescored = services.cases_rescore_stale(batch=2)  # three batches of at most two

    assert rescored == 5
    for case in waiting:
        before = case.severity
        case.refresh_from_db()
        assert case.severity > before  # "waiting" now counts
        assert {r["factor"] for r in case.score_reasons} >= {"waiting"}
    assert RecoveryCase.objects.get(pk=finished.pk).scored_at == finished.scored_at
    assert RecoveryCase.objects.get(pk=fresh.pk).scored_at == fresh.scored_at


def test_the_task_rescores_nothing_twice_in_a_row(agent, ticket):
    services.case_open(actor=agent, ticket=ticket, failure_type="handoffs")

    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        assert tasks.rescore_open_cases() == 1
        assert tasks.rescore_open_cases() == 0


def test_the_stale_cases_are_found_through_the_partial_index(agent, ticket):
    query = (
        RecoveryCase.objects.filter(
            status__in=["open", "in_progress", "awaiting_approval"], scored_at__lt=timezone.now()
        )
        .order_by("scored_at", "id")
        .values_list("id", flat=True)[:200]
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "recovery_case_rescore_due" in plan
        else:
            # SQLite's planner, without statistics, picks any usable index; check the
            # partial index is there for it (PostgreSQL, above, proves it is used).
            cursor.execute("PRAGMA index_list('recovery_recoverycase')")
            partial = {row[1] for row in cursor.fetchall() if row[4]}
            assert "recovery_case_rescore_due" in partial
