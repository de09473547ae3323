"""Every read of recovery cases, already scoped to what the user may see.

`RecoveryCase.objects.visible_to(user)` is the one access rule (staff: all
cases; everyone else: none). Views and the API never call
`RecoveryCase.objects.get` on a user-supplied id: they call `case_get_for`,
which answers NotFound for a missing case and for one the user may not see.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from helpdesk.errors import ApplicationError, NotFound
from recovery.models import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    SEVERITY_BAND_FLOORS,
    FailureType,
    Outcome,
    RecoveryCase,
    RecoverySignal,
    SeverityBand,
)

QUEUE_ORDER = ("-severity", "detected_at", "id")


def case_list_for(
    *,
    user: User,
    ticket_id: int | None = None,
    status: str = "",
    failure_type: str = "",
) -> QuerySet[RecoveryCase]:
    """Cases the user may see, with what the API shows loaded in a constant number of queries.

    `ticket_id` matches the case's own ticket and tickets whose signals joined it.
    """
    cases = (
        RecoveryCase.objects.visible_to(user)
        .select_related("ticket", "customer", "assigned_to")
        .prefetch_related(
            Prefetch("signals", queryset=RecoverySignal.objects.order_by("created_at", "id"))
        )
    )
    if ticket_id is not None:
        cases = cases_for_ticket(cases, ticket_id)
    if status:
        cases = cases.filter(status=status)
    if failure_type:
        cases = cases.filter(failure_type=failure_type)
    return cases.order_by(*QUEUE_ORDER)


def cases_for_ticket(cases: QuerySet[RecoveryCase], ticket_id: int) -> QuerySet[RecoveryCase]:
    joined = RecoverySignal.objects.filter(ticket_id=ticket_id).values("case_id")
    return cases.filter(Q(ticket_id=ticket_id) | Q(pk__in=joined))


def case_get_for(*, user: User, case_id: Any) -> RecoveryCase:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("No such recovery case.") from None
    case = case_list_for(user=user).filter(pk=pk).first()
    if case is None:
        raise NotFound("No such recovery case.")
    return case


def case_queue(*, user: User, failure_type: str = "") -> QuerySet[RecoveryCase]:
    """Cases in work, most severe first, then the longest waiting. One query per page."""
    cases = (
        RecoveryCase.objects.visible_to(user)
        .active()
        .select_related("ticket", "customer", "assigned_to")
    )
    if failure_type:
        cases = cases.filter(failure_type=failure_type)
    return cases.order_by(*QUEUE_ORDER)


# --- the manager dashboard ------------------------------------------------------

# (key, label, lowest severity) from the most severe band down.
SEVERITY_BANDS = tuple(
    (band, SeverityBand(band).label, floor) for band, floor in SEVERITY_BAND_FLOORS
)
# (key, label, younger than): how long open cases have waited since detection.
AGE_BANDS = (
    ("day", _("Under a day"), timedelta(days=1)),
    ("days", _("1-3 days"), timedelta(days=3)),
    ("week", _("3-7 days"), timedelta(days=7)),
    ("older", _("Over a week"), None),
)
RECOVERY_RATE_WINDOW = timedelta(days=90)


@dataclass
class Dashboard:
    open_total: int
    average_severity: float | None
    average_chance: float | None
    # rows: (band key, band label, [count per age band], row total)
    severity_by_age: list[tuple[str, Any, list[int], int]]
    age_labels: list[Any]
    age_totals: list[int]
    recovered: int
    finished_with_outcome: int
    outcomes: list[tuple[Any, int]]
    by_failure_type: list[dict[str, Any]] = field(default_factory=list)
    most_severe: list[RecoveryCase] = field(default_factory=list)

    @property
    def recovery_rate(self) -> int | None:
        """Recovered share of the cases finished with a known outcome, in %."""
        if not self.finished_with_outcome:
            return None
        return round(100 * self.recovered / self.finished_with_outcome)


def _age_condition(now: datetime, index: int) -> Q:
    """Detected within this age band (bands are consecutive, youngest first)."""
    condition = Q()
    limit = AGE_BANDS[index][2]
    if limit is not None:
        condition &= Q(detected_at__gt=now - limit)
    if index > 0:
        condition &= Q(detected_at__lte=now - AGE_BANDS[index - 1][2])
    return condition


def _severity_condition(index: int) -> Q:
    condition = Q(severity__gte=SEVERITY_BANDS[index][2])
    if index > 0:
        condition &= Q(severity__lt=SEVERITY_BANDS[index - 1][2])
    return condition


def dashboard_for(*, user: User, top: int = 10, now: datetime | None = None) -> Dashboard:
    """The manager's recovery overview in three queries, whatever the number of cases.

    1. one aggregate: open cases by severity and age band, averages, outcomes;
    2. one GROUP BY: cases by failure type;
    3. the `top` most severe open cases.
    """
    now = now or timezone.now()
    cases = RecoveryCase.objects.visible_to(user)
    active = Q(status__in=ACTIVE_STATUSES)
    recent_finished = Q(status__in=FINISHED_STATUSES, resolved_at__gte=now - RECOVERY_RATE_WINDOW)

    aggregates: dict[str, Any] = {
        "open_total": Count("id", filter=active),
        "average_severity": Avg("severity", filter=active),
        "average_chance": Avg("recovery_chance", filter=active),
        "finished_with_outcome": Count("id", filter=recent_finished & ~Q(outcome="")),
    }
    for outcome in Outcome.values:
        aggregates[f"outcome_{outcome}"] = Count("id", filter=recent_finished & Q(outcome=outcome))
    for s, (severity_key, _label, _low) in enumerate(SEVERITY_BANDS):
        for a, (age_key, _age_label, _limit) in enumerate(AGE_BANDS):
            aggregates[f"b_{severity_key}_{age_key}"] = Count(
                "id", filter=active & _severity_condition(s) & _age_condition(now, a)
            )
    totals = cases.aggregate(**aggregates)

    severity_by_age = []
    for severity_key, label, _low in SEVERITY_BANDS:
        counts = [totals[f"b_{severity_key}_{age_key}"] for age_key, _l, _x in AGE_BANDS]
        severity_by_age.append((severity_key, label, counts, sum(counts)))
    age_totals = [sum(row[2][i] for row in severity_by_age) for i in range(len(AGE_BANDS))]

    type_rows = (
        cases.values("failure_type")
        .annotate(total=Count("id"), open=Count("id", filter=active), average=Avg("severity"))
        .order_by("-open", "-total", "failure_type")
    )
    labels = dict(FailureType.choices)
    by_failure_type = [
        {
            "failure_type": row["failure_type"],
            "label": labels.get(row["failure_type"], row["failure_type"]),
            "total": row["total"],
            "open": row["open"],
            "average_severity": round(row["average"] or 0),
        }
        for row in type_rows
    ]

    most_severe = list(
        cases.active()
        .select_related("ticket", "customer", "assigned_to")
        .order_by(*QUEUE_ORDER)[:top]
    )

    return Dashboard(
        open_total=totals["open_total"],
        average_severity=totals["average_severity"],
        average_chance=totals["average_chance"],
        severity_by_age=severity_by_age,
        age_labels=[label for _k, label, _x in AGE_BANDS],
        age_totals=age_totals,
        recovered=totals[f"outcome_{Outcome.RECOVERED}"],
        finished_with_outcome=totals["finished_with_outcome"],
        outcomes=[(label, totals[f"outcome_{value}"]) for value, label in Outcome.choices],
        by_failure_type=by_failure_type,
        most_severe=most_severe,
    )


def staff_member_by_email(*, email: str, field: str = "assigned_to") -> User:
    """An active member of staff by email, for assigning cases; a field error otherwise."""
    member = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if member is None or not member.is_agent:
        raise ApplicationError(
            gettext("No active member of staff has this email address."), field=field
        )
    return member
