"""Business-time arithmetic: add business seconds to an instant, or count them between two.

A calendar is opening spans per weekday in its own time zone, less public
holidays (the `holidays` package) and custom closed dates. A span whose end
is not after its start runs overnight into the next day. All arithmetic is
done on UTC instants, so daylight-saving changes count real elapsed time:
an opening day of 09:00-17:00 is 8 hours, 7 or 9 only if the clocks change
inside it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays as holidays_lib

# Guard against a calendar with no opening hours at all: never loop for ever.
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Span:
    weekday: int  # Monday 0 .. Sunday 6
    start: time
    end: time  # end <= start: the span runs past midnight into the next day


@dataclass
class Calendar:
    time_zone: str = "UTC"
    always_open: bool = False
    spans: list[Span] = field(default_factory=list)
    country: str = ""
    subdivision: str = ""
    closed_dates: set[date] = field(default_factory=set)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def _holidays(self) -> holidays_lib.HolidayBase | None:
        if not self.country:
            return None
        return holidays_lib.country_holidays(self.country, subdiv=self.subdivision or None)

    def is_closed_on(self, day: date) -> bool:
        if day in self.closed_dates:
            return True
        return self._holidays is not None and day in self._holidays

    def _local(self, day: date, at: time) -> datetime:
        """The UTC instant of wall-clock `at` on `day`.

        A wall time skipped by a spring-forward change lands as many minutes
        after the change as it was meant to be after the hour (PEP 495, fold=0);
        a repeated one in autumn means its first occurrence.
        """
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)

    def intervals_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals (UTC) that end after `start`, in order, clipped to begin no earlier."""
        start = start.astimezone(UTC)
        if self.always_open:
            yield start, datetime.max.replace(tzinfo=UTC)
            return
        if not self.spans:
            return
        # Begin a day early: yesterday's overnight span may still be open.
        first_day = start.astimezone(self.zone).date() - timedelta(days=1)
        for offset in range(MAX_DAYS):
            day = first_day + timedelta(days=offset)
            if self.is_closed_on(day):
                continue
            todays = sorted(
                (s for s in self.spans if s.weekday == day.weekday()), key=lambda s: s.start
            )
            for span in todays:
                opens = self._local(day, span.start)
                end_day = day if span.end > span.start else day + timedelta(days=1)
                closes = self._local(end_day, span.end)
                if closes <= start:
                    continue
                yield max(opens, start), closes


def add_business_seconds(calendar: Calendar, start: datetime, seconds: float) -> datetime | None:
    """The instant when `seconds` of business time have passed since `start`.

    None when the calendar never opens within the guard window.
    """
    remaining = timedelta(seconds=max(0.0, seconds))
    for opens, closes in calendar.intervals_from(start):
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    if remaining == timedelta(0):
        return start.astimezone(UTC)
    return None


def business_seconds_between(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Business seconds in [start, end); 0 when end is not after start."""
    if end <= start:
        return 0.0
    end = end.astimezone(UTC)
    total = timedelta(0)
    for opens, closes in calendar.intervals_from(start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total.total_seconds()
