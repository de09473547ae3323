"""When a survey may reach a customer: after the delay, outside their local quiet hours.

Pure functions of instants and time zones; the settings say the hours.
"""

import zoneinfo
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings


def zone_of(person: Any) -> zoneinfo.ZoneInfo:
    """The person's time zone; the site's (or UTC) when theirs is missing or unknown."""
    for name in (getattr(person, "time_zone", ""), settings.TIME_ZONE, "UTC"):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            continue
    raise AssertionError("UTC is always available")  # pragma: no cover


def in_quiet_hours(at: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether `at` falls in [start, end) local hours; a window may wrap midnight (21 to 9)."""
    start, end = time(settings.SURVEY_QUIET_START_HOUR), time(settings.SURVEY_QUIET_END_HOUR)
    local = at.astimezone(zone).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_allowed(at: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """`at` itself, or the end of the quiet hours it falls in (in UTC)."""
    if not in_quiet_hours(at, zone):
        return at
    end = time(settings.SURVEY_QUIET_END_HOUR)
    local = at.astimezone(zone)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(UTC)


def send_time(after: datetime, person: Any) -> datetime:
    """When a survey triggered at `after` goes out: the delay later, outside quiet hours."""
    return next_allowed(after + timedelta(hours=settings.SURVEY_DELAY_HOURS), zone_of(person))


def reminder_time(sent_at: datetime, expires_at: datetime, person: Any) -> datetime | None:
    """When to remind an unanswered survey, or None (reminders off, or too close to expiry)."""
    if not settings.SURVEY_REMINDER_HOURS:
        return None
    at = next_allowed(sent_at + timedelta(hours=settings.SURVEY_REMINDER_HOURS), zone_of(person))
    return at if at < expires_at else None


def answer_window() -> timedelta:
    return timedelta(days=settings.SURVEY_EXPIRY_DAYS)


def throttle_window() -> timedelta:
    return timedelta(days=settings.SURVEY_THROTTLE_DAYS)
