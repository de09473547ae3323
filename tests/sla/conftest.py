from datetime import time

import pytest

from sla.models import BusinessCalendar, OpeningSpan, Policy, PolicyTarget
from tickets.models import Priority


def make_policy(name="Standard", *, calendar=None, default=True, position=100, **fields) -> Policy:
    policy = Policy.objects.create(
        name=name, calendar=calendar, is_default=default, position=position, **fields
    )
    for priority in Priority.values:
        PolicyTarget.objects.create(
            policy=policy,
            priority=priority,
            first_reply_minutes=60 if priority != Priority.URGENT else 15,
            next_reply_minutes=120,
            resolution_minutes=8 * 60 if priority != Priority.URGENT else 120,
        )
    return policy


@pytest.fixture
def office_calendar(db):
    calendar = BusinessCalendar.objects.create(
        name="Madrid office", time_zone="Europe/Madrid", holiday_country="ES"
    )
    for day in range(5):
        OpeningSpan.objects.create(calendar=calendar, weekday=day, opens=time(9), closes=time(17))
    return calendar


@pytest.fixture
def always_policy(db):
    return make_policy("Around the clock")
