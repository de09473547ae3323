"""Every read of recovery cases, already scoped to what the user may see.

`RecoveryCase.objects.visible_to(user)` is the one access rule (staff: all
cases; everyone else: none). Views and the API never call
`RecoveryCase.objects.get` on a user-supplied id: they call `case_get_for`,
which answers NotFound for a missing case and for one the user may not see.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from helpdesk.errors import ApplicationError, NotFound
from recovery.models import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    SEVERITY_BAND_FLOORS,
    CaseStep,
    CoachingNote,
    FailureType,
    Outcome,
    Playbook,
    RecoveryCase,
    RecoverySignal,
    RootCause,
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
        .select_related("ticket", "customer", "assigned_to", "playbook", "root_cause__category")
        .prefetch_related(
            Prefetch("signals", queryset=RecoverySignal.objects.order_by("created_at", "id")),
            Prefetch(
                "steps",
                queryset=CaseStep.objects.select_related("completed_by").order_by("position", "id"),
            ),
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


# --- the agent ticket page ---------------------------------------------------------

HISTORY_WINDOW = timedelta(days=365)
HISTORY_SIZE = 10


def _about_ticket(ticket_id: int) -> Q:
    joined = RecoverySignal.objects.filter(ticket_id=ticket_id).values("case_id")
    return Q(ticket_id=ticket_id) | Q(pk__in=joined)


def ticket_case_and_history(
    *, user: User, ticket_id: int, customer_id: int
) -> tuple[RecoveryCase | None, list[RecoveryCase]]:
    """For the ticket page, in one query: the case about this ticket (its own, or one a
    signal from it joined; the one in work, else the latest), and the customer's other
    failures of the past year, newest first (at most ten). The case comes with how many
    signals fed it (`signal_count`)."""
    about = _about_ticket(ticket_id)
    rows = list(
        RecoveryCase.objects.visible_to(user)
        .filter(
            about | Q(customer_id=customer_id, detected_at__gte=timezone.now() - HISTORY_WINDOW)
        )
        .select_related("ticket", "customer", "assigned_to", "playbook", "root_cause__category")
        .annotate(
            here=Case(When(about, then=Value(1)), default=Value(0), output_field=IntegerField()),
            in_work=Case(
                When(status__in=ACTIVE_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            signal_count=Coalesce(
                Subquery(
                    RecoverySignal.objects.filter(case=OuterRef("pk"))
                    .values("case")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("-here", "-in_work", "-detected_at", "-id")[: HISTORY_SIZE + 1]
    )
    case = rows[0] if rows and rows[0].here else None
    history = rows[1:] if case else rows[:HISTORY_SIZE]
    return case, history


def case_steps(case: RecoveryCase) -> list[CaseStep]:
    return list(case.steps.select_related("completed_by").order_by("position", "id"))


def panel_context(request, ticket) -> dict[str, Any]:
    """What the recovery panel on the agent ticket page shows: the case about this
    ticket (score with reasons, chance, playbook steps), the customer's other
    failures, and the form to open a case by hand.

    Two queries with a case (the case with the history; its steps), one without.
    """
    from recovery.forms import CaseOpenForm  # forms import models and facts; keep it lazy
    from recovery.scoring import reasons_for_display

    case, history = ticket_case_and_history(
        user=request.user, ticket_id=ticket.pk, customer_id=ticket.requester_id
    )
    return {
        "case": case,
        "steps": case_steps(case) if case else [],
        "score_reasons": reasons_for_display(case.score_reasons) if case else [],
        "chance_reasons": reasons_for_display(case.recovery_chance_reasons) if case else [],
        "history": history,
        "open_form": CaseOpenForm(),
    }


# --- queue filter -------------------------------------------------------------------

QUEUE_FILTER_OPEN = "open"
QUEUE_FILTER_CRITICAL = "critical"
CRITICAL_SEVERITY = SEVERITY_BAND_FLOORS[0][1]


def filter_tickets(tickets: QuerySet, value: str) -> QuerySet:
    """Narrows an agent queue to tickets with a recovery case in work (any, or critical)."""
    active = RecoveryCase.objects.filter(ticket=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    if value == QUEUE_FILTER_CRITICAL:
        return tickets.filter(Exists(active.filter(severity__gte=CRITICAL_SEVERITY)))
    if value == QUEUE_FILTER_OPEN:
        return tickets.filter(Exists(active))
    return tickets


# --- learning and playbooks ---------------------------------------------------------


def coaching_notes_for(*, user: User, case_id: int | None = None) -> QuerySet[CoachingNote]:
    """Coaching notes the user may read (see `CoachingNote.objects.visible_to`)."""
    notes = CoachingNote.objects.visible_to(user).select_related("agent", "author", "case")
    if case_id is not None:
        notes = notes.filter(case_id=case_id)
    return notes.order_by("-created_at", "-id")


def root_causes_in_use() -> QuerySet[RootCause]:
    return RootCause.objects.filter(is_active=True).select_related("category")


def playbooks_for_managers() -> QuerySet[Playbook]:
    return Playbook.objects.annotate(step_count=Count("steps")).order_by("situation")


# --- compensation approvals ------------------------------------------------------------


def approval_get_for(*, user: User, approval_id: int):
    """A request the user may see, or None (reads as 404)."""
    from recovery.models import CompensationApproval

    return (
        CompensationApproval.objects.visible_to(user)
        .select_related("case__ticket", "case__customer", "requested_by")
        .filter(pk=approval_id)
        .first()
    )


def approvals_inbox(*, user: User) -> dict[str, Any]:
    """Waiting requests (oldest first) with each team's budget and what it has issued this
    month, and the
    latest decisions. Queries: the pending page, budgets, spend per team, recent decisions."""
    from django.db.models import Sum

    from recovery.models import (
        ApprovalStatus,
        CompensationApproval,
        CompensationIssue,
        TeamBudget,
    )
    from recovery.services.approvals import month_start

    visible = CompensationApproval.objects.visible_to(user).select_related(
        "case__ticket__team", "case__customer", "requested_by", "decided_by"
    )
    pending = list(visible.filter(status=ApprovalStatus.PENDING).order_by("created_at", "id")[:100])
    month = month_start()
    team_ids = {a.case.ticket.team_id for a in pending if a.case.ticket.team_id}
    budgets = {b.team_id: b for b in TeamBudget.objects.filter(team_id__in=team_ids, month=month)}
    spend = dict(
        CompensationIssue.objects.filter(
            team_id__in=team_ids, created_at__date__gte=month, amount__isnull=False
        )
        .values_list("team_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for approval in pending:
        team_id = approval.case.ticket.team_id
        approval.budget = budgets.get(team_id)
        approval.spent = spend.get(team_id) or 0
    decided = list(
        visible.exclude(status=ApprovalStatus.PENDING).order_by("-decided_at", "-id")[:20]
    )
    return {"pending": pending, "decided": decided, "month": month}


def customer_by_email(*, email: str) -> User | None:
    """An active customer by email (case-insensitive), or None."""
    return User.objects.filter(email__iexact=email, is_active=True, role="customer").first()
