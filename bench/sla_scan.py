"""How long one SLA scan takes on a big database, and whether it reads by index.

    DATABASE_URL=postgres://postgres@127.0.0.1/helpdesk_bench .venv/bin/python bench/sla_scan.py [--due 100]

Run bench/seed.py first. Prints the open-target count, the EXPLAIN of both
scan queries, and the scan time with nothing due and with --due targets due.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from helpdesk.celery import app  # noqa: E402
from sla.models import SlaTarget, TargetState  # noqa: E402
from sla.services import sla_scan  # noqa: E402


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def timed_scan(now) -> tuple[float, dict]:
    started = time.perf_counter()
    result = sla_scan(now=now)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--due", type=int, default=100, help="targets to make due for the second scan"
    )
    args = parser.parse_args()
    app.conf.task_always_eager = False
    # Side effects (notice mail, clock sync) are queued, not run: measure the scan itself.
    app.conf.task_ignore_result = True
    now = timezone.now()
    running = SlaTarget.objects.filter(state=TargetState.RUNNING).count()
    print(f"running SLA targets: {running}")

    # Drain what is already due so the next scan measures the index probe alone.
    while True:
        first, first_result = timed_scan(now)
        print(f"catch-up scan: {first:.3f}s {first_result}")
        if not any(first_result.values()):
            break
    idle, idle_result = timed_scan(now)
    print(f"scan with nothing due: {idle * 1000:.1f} ms {idle_result}")

    breach_query = (
        SlaTarget.objects.filter(
            state=TargetState.RUNNING, breached_at__isnull=True, due_at__lte=now
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:1000]
    )
    print("\nEXPLAIN breach query:\n" + explain(breach_query))
    warn_query = (
        SlaTarget.objects.filter(
            state=TargetState.RUNNING,
            warned_at__isnull=True,
            breached_at__isnull=True,
            warn_at__lte=now,
        )
        .order_by("warn_at")
        .values_list("pk", flat=True)[:1000]
    )
    print("\nEXPLAIN warning query:\n" + explain(warn_query))

    soon = list(
        SlaTarget.objects.filter(
            state=TargetState.RUNNING, breached_at__isnull=True, due_at__gt=now
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[: args.due]
    )
    SlaTarget.objects.filter(pk__in=soon).update(due_at=now - timedelta(seconds=1))
    busy, busy_result = timed_scan(now)
    print(f"\nscan with {len(soon)} breaches due: {busy:.3f}s {busy_result}")


if __name__ == "__main__":
    main()
