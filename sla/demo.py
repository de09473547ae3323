"""Demo SLA policies: an office calendar and tiers of promise."""

from datetime import time

from sla.models import BusinessCalendar, OpeningSpan, Policy, PolicyTarget
from tickets.models import Priority

# priority: (first reply, next reply, resolution) in business minutes
STANDARD = {
    Priority.LOW: (8 * 60, 16 * 60, 5 * 8 * 60),
    Priority.NORMAL: (4 * 60, 8 * 60, 3 * 8 * 60),
    Priority.HIGH: (60, 4 * 60, 8 * 60),
    Priority.URGENT: (30, 60, 4 * 60),
}
PREMIUM = {
    Priority.LOW: (4 * 60, 8 * 60, 3 * 24 * 60),
    Priority.NORMAL: (60, 4 * 60, 24 * 60),
    Priority.HIGH: (30, 60, 8 * 60),
    Priority.URGENT: (15, 30, 4 * 60),
}


def seed_policies() -> int:
    """Idempotent: finds calendars and policies by name."""
    office, created = BusinessCalendar.objects.get_or_create(
        name="Office hours (Madrid)",
        defaults={
            "time_zone": "Europe/Madrid",
            "holiday_country": "ES",
            "holiday_subdivision": "MD",
        },
    )
    if created:
        for day in range(5):
            OpeningSpan.objects.create(calendar=office, weekday=day, opens=time(8), closes=time(14))
            OpeningSpan.objects.create(
                calendar=office, weekday=day, opens=time(15), closes=time(19)
            )
    made = 0
    for name, calendar, position, tiers, targets, default in (
        ("Gold and platinum, around the clock", None, 10, ["gold", "platinum"], PREMIUM, False),
        ("Standard, office hours", office, 100, [], STANDARD, True),
    ):
        policy, created = Policy.objects.get_or_create(
            name=name,
            defaults={
                "calendar": calendar,
                "position": position,
                "match_tiers": tiers,
                "is_default": default,
                "pause_on_hold": not default,
                "escalate_priority": Priority.HIGH if not default else "",
            },
        )
        if created:
            made += 1
            for priority, (first, following, resolution) in targets.items():
                PolicyTarget.objects.create(
                    policy=policy,
                    priority=priority,
                    first_reply_minutes=first,
                    next_reply_minutes=following,
                    resolution_minutes=resolution,
                )
    return made
