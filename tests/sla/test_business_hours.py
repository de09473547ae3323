"""Business-time arithmetic against hand-computed instants."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla.business_hours import Calendar, Span, add_business_seconds, business_seconds_between

HOUR = 3600
MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")


def weekdays(opens: str, closes: str, days=range(5)) -> list[Span]:
    return [Span(d, time.fromisoformat(opens), time.fromisoformat(closes)) for d in days]


def at(zone, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


OFFICE = Calendar(time_zone="UTC", spans=weekdays("09:00", "17:00"))


def test_it_adds_within_the_same_day():
    # Monday 2026-11-16 10:00 + 3h = 13:00
    assert add_business_seconds(OFFICE, at(UTC, 2026, 11, 16, 10), 3 * HOUR) == at(
        UTC, 2026, 11, 16, 13
    )


def test_it_carries_over_the_weekend():
    # Friday 16:00 + 2h: 1h on Friday, 1h on Monday -> Monday 10:00
    assert add_business_seconds(OFFICE, at(UTC, 2026, 11, 20, 16), 2 * HOUR) == at(
        UTC, 2026, 11, 23, 10
    )


def test_it_starts_counting_at_opening_time_when_filed_at_night():
    # Tuesday 03:00 + 30 min -> Tuesday 09:30
    assert add_business_seconds(OFFICE, at(UTC, 2026, 11, 17, 3), 1800) == at(
        UTC, 2026, 11, 17, 9, 30
    )


def test_it_skips_the_lunch_break_of_split_hours():
    split = Calendar(spans=weekdays("09:00", "12:00") + weekdays("13:00", "17:00"))
    # 11:30 + 1h: 30 min before lunch, 30 min after -> 13:30
    assert add_business_seconds(split, at(UTC, 2026, 11, 16, 11, 30), HOUR) == at(
        UTC, 2026, 11, 16, 13, 30
    )
    assert (
        business_seconds_between(split, at(UTC, 2026, 11, 16, 8), at(UTC, 2026, 11, 16, 18))
        == 7 * HOUR
    )


def test_it_handles_overnight_spans():
    night = Calendar(spans=weekdays("22:00", "06:00"))
    # Monday 23:00 + 8h: 7h to Tuesday 06:00, then 1h from Tuesday 22:00 -> 23:00
    assert add_business_seconds(night, at(UTC, 2026, 11, 16, 23), 8 * HOUR) == at(
        UTC, 2026, 11, 17, 23
    )
    # Tuesday 02:00 is inside Monday's night shift: +1h -> 03:00
    assert add_business_seconds(night, at(UTC, 2026, 11, 17, 2), HOUR) == at(UTC, 2026, 11, 17, 3)


def test_it_skips_public_holidays_of_the_calendar_country():
    spain = Calendar(time_zone="Europe/Madrid", spans=weekdays("09:00", "17:00"), country="ES")
    # Thursday 24 Dec 16:00 Madrid + 2h: 1h on the 24th, Christmas Friday closed,
    # weekend closed -> Monday 28 Dec 10:00 Madrid.
    assert add_business_seconds(spain, at(MADRID, 2026, 12, 24, 16), 2 * HOUR) == at(
        MADRID, 2026, 12, 28, 10
    )


def test_it_skips_custom_closed_dates():
    closed = Calendar(spans=weekdays("09:00", "17:00"), closed_dates={date(2026, 11, 17)})
    # Monday 16:00 + 2h: 1h Monday, Tuesday closed -> Wednesday 10:00
    assert add_business_seconds(closed, at(UTC, 2026, 11, 16, 16), 2 * HOUR) == at(
        UTC, 2026, 11, 18, 10
    )


def test_it_works_in_the_calendar_time_zone():
    new_york = Calendar(time_zone="America/New_York", spans=weekdays("09:00", "17:00"))
    # Monday 2026-11-16 13:00 UTC is 08:00 EST: the office opens at 14:00 UTC; +1h -> 15:00 UTC.
    assert add_business_seconds(new_york, at(UTC, 2026, 11, 16, 13), HOUR) == at(
        UTC, 2026, 11, 16, 15
    )


def test_a_day_losing_an_hour_to_daylight_saving_counts_23_hours():
    # Europe moves clocks forward on Sunday 29 March 2026: that local day lasts 23 hours.
    always_sunday = Calendar(time_zone="Europe/Madrid", spans=[Span(6, time(0), time(0))])
    start, end = at(MADRID, 2026, 3, 29, 0), at(MADRID, 2026, 3, 30, 0)
    assert business_seconds_between(always_sunday, start, end) == 23 * HOUR
    assert add_business_seconds(always_sunday, start, 23 * HOUR) == end.astimezone(UTC)


def test_a_night_gaining_an_hour_to_daylight_saving_counts_it():
    # New York falls back at 02:00 on Sunday 1 November 2026: 00:00-06:00 lasts 7 hours.
    early = Calendar(time_zone="America/New_York", spans=[Span(6, time(0), time(6))])
    start = at(NEW_YORK, 2026, 11, 1, 0)
    assert business_seconds_between(early, start, start + timedelta(days=1)) == 7 * HOUR
    # 6 business hours from midnight: 01:00 EDT, 01:00 EST, ... -> 05:00 EST = 10:00 UTC
    assert add_business_seconds(early, start, 6 * HOUR) == at(UTC, 2026, 11, 1, 10)


def test_an_always_open_calendar_counts_wall_time():
    always = Calendar(always_open=True)
    start = at(UTC, 2026, 11, 21, 23)
    assert add_business_seconds(always, start, 90 * 60) == at(UTC, 2026, 11, 22, 0, 30)
    assert business_seconds_between(always, start, start + timedelta(hours=5)) == 5 * HOUR


def test_a_calendar_that_never_opens_gives_no_due_time():
    assert add_business_seconds(Calendar(spans=[]), at(UTC, 2026, 11, 16, 9), HOUR) is None


@pytest.mark.parametrize("hours", [1, 5, 8, 9, 17, 40, 41])
def test_adding_then_counting_round_trips(hours):
    start = at(UTC, 2026, 11, 18, 15, 20)
    due = add_business_seconds(OFFICE, start, hours * HOUR)
    assert business_seconds_between(OFFICE, start, due) == hours * HOUR
