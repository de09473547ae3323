"""Fast bulk seeding of large data sets on PostgreSQL with COPY, for benchmarks.

Usage (needs DATABASE_URL pointing at PostgreSQL; the database is migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1/helpdesk_bench \
        .venv/bin/python bench/seed.py --tickets 1000000 [--open-share 0.2]

Idempotent per size: it adds only the tickets missing to reach --tickets.
Rows are written straight with COPY (no services, no events sent): this is
benchmark data, not demo data.
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from sla.demo import seed_policies  # noqa: E402

CHANNELS = ["email", "web", "chat", "api", "phone", "sms"]
PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]
CATEGORIES = [
    "general",
    "account",
    "billing",
    "shipping",
    "technical_difficulty",
    "defective_product",
    "overcharge",
    "late_delivery",
    "poor_support",
    "feature_request",
]
CLOSED_STATUSES = ["solved", "closed"]
OPEN_STATUSES = ["new", "open", "open", "pending", "on_hold"]
WORDS = [
    "order",
    "invoice",
    "refund",
    "password",
    "login",
    "crash",
    "export",
    "delivery",
    "parcel",
    "charge",
    "account",
    "card",
    "screen",
    "error",
    "broken",
    "late",
    "missing",
    "damaged",
    "upgrade",
    "plan",
    "printer",
    "battery",
    "update",
    "sync",
]
SPAN = timedelta(days=730)
CUSTOMERS_PER_TICKET = 0.1


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def copy_rows(table: str, columns: list[str], rows) -> int:
    """Streams rows into `table` with COPY (autocommit: one transaction per table)."""
    count = 0
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def ensure_people(rng: random.Random, customers: int) -> tuple[list[int], list[int], list[int]]:
    """Organisations, customers and agents; returns (customer ids, their org ids, agent ids)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user WHERE email LIKE 'bench-c%%'")
        have = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM accounts_organisation WHERE name LIKE 'Bench org %%'")
        if cursor.fetchone()[0] == 0:
            copy_rows(
                "accounts_organisation",
                ["name", "domain", "shares_tickets", "created_at"],
                (
                    (f"Bench org {i}", f"bench{i}.example", i % 5 == 0, datetime.now(UTC))
                    for i in range(500)
                ),
            )
        cursor.execute(
            "SELECT id FROM accounts_organisation WHERE name LIKE 'Bench org %%' ORDER BY id"
        )
        orgs = [r[0] for r in cursor.fetchall()]
    password = make_password("demo")
    now = datetime.now(UTC)
    if have < customers:
        log(f"customers: adding {customers - have}")
        copy_rows(
            "accounts_user",
            [
                "password",
                "is_superuser",
                "email",
                "full_name",
                "role",
                "organisation_id",
                "language",
                "time_zone",
                "tier",
                "lifetime_value",
                "skills",
                "languages",
                "availability",
                "capacity",
                "is_senior",
                "is_active",
                "is_staff",
                "date_joined",
            ],
            (
                (
                    password,
                    False,
                    f"bench-c{i}@bench{i % 500}.example",
                    f"Customer {i}",
                    "customer",
                    orgs[i % len(orgs)],
                    "es" if i % 7 == 0 else "en",
                    "UTC",
                    rng.choice(["standard"] * 6 + ["gold", "platinum"]),
                    rng.randrange(0, 10000),
                    "[]",
                    "[]",
                    "off",
                    20,
                    False,
                    True,
                    False,
                    now,
                )
                for i in range(have, customers)
            ),
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user WHERE email LIKE 'bench-a%%'")
        if cursor.fetchone()[0] == 0:
            copy_rows(
                "accounts_user",
                [
                    "password",
                    "is_superuser",
                    "email",
                    "full_name",
                    "role",
                    "language",
                    "time_zone",
                    "tier",
                    "lifetime_value",
                    "skills",
                    "languages",
                    "availability",
                    "capacity",
                    "is_senior",
                    "is_active",
                    "is_staff",
                    "date_joined",
                ],
                (
                    (
                        password,
                        False,
                        f"bench-a{i}@support.example",
                        f"Agent {i}",
                        "agent",
                        "en",
                        "UTC",
                        "standard",
                        0,
                        "[]",
                        '["en"]',
                        "online",
                        40,
                        i % 4 == 0,
                        True,
                        False,
                        now,
                    )
                    for i in range(200)
                ),
            )
        cursor.execute(
            "SELECT id, organisation_id FROM accounts_user WHERE email LIKE 'bench-c%%' ORDER BY id"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT id FROM accounts_user WHERE email LIKE 'bench-a%%' ORDER BY id")
        agents = [r[0] for r in cursor.fetchall()]
    return [r[0] for r in rows], [r[1] for r in rows], agents


def seed_tickets(rng: random.Random, wanted: int, open_share: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        have = cursor.fetchone()[0]
    missing = wanted - have
    if missing <= 0:
        log(f"tickets: {have} already, nothing to add")
        return
    customers, customer_orgs, agents = ensure_people(
        rng, max(1000, int(wanted * CUSTOMERS_PER_TICKET))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM sla_policy WHERE is_default LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            seed_policies()
            cursor.execute("SELECT id FROM sla_policy WHERE is_default LIMIT 1")
            row = cursor.fetchone()
        policy_id = row[0]
    now = datetime.now(UTC)
    log(f"tickets: adding {missing} ({open_share:.0%} open)")
    started = time.monotonic()
    plan = []  # (created_at, status, priority, requester index)
    for _ in range(missing):
        created = now - SPAN * (rng.random() ** 1.5)
        status = (
            rng.choice(OPEN_STATUSES) if rng.random() < open_share else rng.choice(CLOSED_STATUSES)
        )
        plan.append((created, status, rng.choice(PRIORITIES), rng.randrange(len(customers))))

    def ticket_rows():
        for created, status, priority, who in plan:
            closed = status in CLOSED_STATUSES
            updated = (
                created + timedelta(hours=rng.uniform(0.5, 200))
                if closed
                else created + timedelta(minutes=5)
            )
            updated = min(updated, now)
            yield (
                f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                customers[who],
                customer_orgs[who],
                rng.choice(CHANNELS),
                status,
                priority,
                rng.choice(CATEGORIES),
                None if status == "new" else rng.choice(agents),
                None,
                rng.choice([0, 0, 0, 1, 2]),
                created,
                updated,
                None if status == "new" else created + timedelta(minutes=rng.uniform(5, 600)),
                updated if closed else None,
            )

    copy_rows(
        "tickets_ticket",
        [
            "subject",
            "requester_id",
            "organisation_id",
            "channel",
            "status",
            "priority",
            "category",
            "assignee_id",
            "team_id",
            "handoff_count",
            "created_at",
            "updated_at",
            "first_replied_at",
            "solved_at",
        ],
        ticket_rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM tickets_ticket")
        last_id = cursor.fetchone()[0]
    first_id = last_id - missing + 1
    log(f"tickets: {missing} rows in {time.monotonic() - started:.1f}s; messages and events next")

    def message_rows():
        for offset, (created, status, _priority, who) in enumerate(plan):
            ticket_id = first_id + offset
            yield (
                ticket_id,
                customers[who],
                "Hello, " + " ".join(rng.choices(WORDS, k=30)),
                False,
                "web",
                created,
                "",
                None,
            )
            if status != "new":
                agent = rng.choice(agents)
                yield (
                    ticket_id,
                    agent,
                    "Thanks, " + " ".join(rng.choices(WORDS, k=25)),
                    False,
                    "web",
                    created + timedelta(minutes=30),
                    "",
                    created + timedelta(minutes=30),
                )
                if offset % 3 == 0:
                    yield (
                        ticket_id,
                        agent,
                        "Note: " + " ".join(rng.choices(WORDS, k=10)),
                        True,
                        "web",
                        created + timedelta(minutes=31),
                        "",
                        None,
                    )

    started = time.monotonic()
    count = copy_rows(
        "tickets_message",
        [
            "ticket_id",
            "author_id",
            "body",
            "internal",
            "channel",
            "created_at",
            "email_message_id",
            "emailed_at",
        ],
        message_rows(),
    )
    log(f"messages: {count} rows in {time.monotonic() - started:.1f}s")

    def event_rows():
        for offset, (created, status, priority, who) in enumerate(plan):
            ticket_id = first_id + offset
            yield (
                ticket_id,
                customers[who],
                "ticket.created",
                f'{{"priority": "{priority}"}}',
                created,
            )
            if status != "new":
                yield (
                    ticket_id,
                    None,
                    "ticket.status_changed",
                    f'{{"from": "new", "to": "{status}"}}',
                    created + timedelta(minutes=30),
                )

    started = time.monotonic()
    count = copy_rows(
        "tickets_ticketevent", ["ticket_id", "actor_id", "type", "data", "created_at"], event_rows()
    )
    log(f"events: {count} rows in {time.monotonic() - started:.1f}s")

    def target_rows():
        for offset, (created, status, _priority, _who) in enumerate(plan):
            ticket_id = first_id + offset
            if status in CLOSED_STATUSES:
                yield (
                    ticket_id,
                    policy_id,
                    "resolution",
                    "met",
                    86400,
                    created,
                    None,
                    3600.0,
                    None,
                    None,
                    None,
                    None,
                    created + timedelta(hours=5),
                    -82800.0,
                )
                continue
            # Running resolution clocks, due over the next weeks; a sliver already overdue.
            due = now + timedelta(minutes=rng.uniform(-30, 60 * 24 * 21))
            breached = due < now - timedelta(minutes=5)
            yield (
                ticket_id,
                policy_id,
                "resolution",
                "paused" if status == "pending" else "running",
                86400,
                created,
                created,
                0.0,
                None if status == "pending" else due,
                None if status == "pending" else due - timedelta(hours=6),
                None,
                due if breached else None,
                None,
                None,
            )

    started = time.monotonic()
    count = copy_rows(
        "sla_slatarget",
        [
            "ticket_id",
            "policy_id",
            "kind",
            "state",
            "target_seconds",
            "started_at",
            "resumed_at",
            "used_seconds",
            "due_at",
            "warn_at",
            "warned_at",
            "breached_at",
            "completed_at",
            "overrun_seconds",
        ],
        target_rows(),
    )
    log(f"SLA targets: {count} rows in {time.monotonic() - started:.1f}s")
    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute("ANALYZE")
        log(f"ANALYZE in {time.monotonic() - started:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/seed.py needs PostgreSQL: set DATABASE_URL.")
    call_command("migrate", "--noinput", verbosity=0)
    started = time.monotonic()
    seed_tickets(random.Random(args.seed), args.tickets, args.open_share)
    log(f"seeded in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
