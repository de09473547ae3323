"""Compensation above an agent's limit: the request, and a supervisor's decision.

The limit check lives here and nowhere else, so the pages, the API and any
crafted POST meet the same rule. Amounts compare in the case's currency.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from recovery import events, policy
from recovery.facts import CURRENCY_RE, MAX_AMOUNT
from recovery.models import (
    ApprovalStatus,
    CaseStatus,
    CompensationApproval,
    CompensationKind,
    RecoveryCase,
    TeamBudget,
)
from recovery.services.common import (
    check_choice,
    clean_text,
    lock_case,
    require_staff,
    require_supervisor,
)

MAX_REASON = 2000


def _clean_amount(amount: Any) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("Enter an amount."), field="amount") from None
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise ApplicationError(_("Enter an amount above zero."), field="amount")
    return value


def _clean_currency(currency: Any) -> str:
    if not isinstance(currency, str) or not CURRENCY_RE.match(currency.strip().upper()):
        raise ApplicationError(_("Use a three-letter currency code."), field="currency")
    return currency.strip().upper()


def compensation_request_approval(
    *,
    actor: User,
    case: RecoveryCase,
    kind: str,
    amount: Any,
    currency: str,
    reason: str,
) -> CompensationApproval:
    """Asks a lead or manager to approve compensation above the actor's limit.

    Precondition: `case` came from a selector scoped to `actor`. Within the
    actor's own limit there is nothing to approve. One request waits per case;
    the case waits in "awaiting approval" meanwhile.
    """
    require_staff(actor)
    kind = check_choice(kind, CompensationKind, field="kind")
    amount = _clean_amount(amount)
    currency = _clean_currency(currency)
    reason = clean_text(reason, field="reason", max_length=MAX_REASON)
    if not reason:
        raise ApplicationError(_("Say why this compensation is right."), field="reason")
    if policy.can_grant(user=actor, kind=kind, amount=amount):
        raise ApplicationError(
            _("This is within your own limit; no approval is needed."), field="amount"
        )
    with transaction.atomic():
        case = lock_case(case)
        if not case.is_active:
            raise Conflict(_("Only a case in work can ask for compensation."))
        if case.approvals.filter(status=ApprovalStatus.PENDING).exists():
            raise Conflict(_("A request for this case is already waiting for a decision."))
        now = timezone.now()
        approval = CompensationApproval.objects.create(
            case=case,
            requested_by=actor,
            kind=kind,
            amount=amount,
            currency=currency,
            reason=reason,
            created_at=now,
        )
        fields = ["updated_at"]
        if case.status != CaseStatus.AWAITING_APPROVAL:
            events.record(
                case=case,
                actor=actor,
                type=events.STATUS_CHANGED,
                data={"from": case.status, "to": CaseStatus.AWAITING_APPROVAL},
            )
            case.status = CaseStatus.AWAITING_APPROVAL
            fields.append("status")
        events.record(
            case=case,
            actor=actor,
            type=events.APPROVAL_REQUESTED,
            data={
                "approval_id": approval.pk,
                "kind": kind,
                "amount": str(amount),
                "currency": currency,
            },
        )
        case.updated_at = now
        case.save(update_fields=fields)
    return approval


def compensation_decide(
    *, actor: User, approval: CompensationApproval, approve: bool, reason: str = ""
) -> CompensationApproval:
    """A lead or manager approves or declines a waiting request, keeping the reason.

    The decider must be able to grant the amount themselves (a lead up to their
    limit) and may not decide their own request. Approving makes the amount the
    case's compensation; either way the case goes back to work.
    """
    require_supervisor(actor)
    reason = clean_text(reason or "", field="decision_reason", max_length=MAX_REASON)
    if not approve and not reason:
        raise ApplicationError(_("Say why the request is declined."), field="decision_reason")
    with transaction.atomic():
        approval = (
            CompensationApproval.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=approval.pk)
        )
        if approval.status != ApprovalStatus.PENDING:
            raise Conflict(_("This request has already been decided."))
        if approval.requested_by_id == actor.pk:
            raise PermissionDenied(_("Someone else must decide your own request."))
        if approve and not policy.can_grant(user=actor, kind=approval.kind, amount=approval.amount):
            raise PermissionDenied(_("This amount is above your own limit; ask a manager."))
        case = lock_case(approval.case)
        now = timezone.now()
        approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED
        approval.decided_by = actor
        approval.decision_reason = reason
        approval.decided_at = now
        approval.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
        fields = ["updated_at"]
        if approve:
            case.compensation_kind = approval.kind
            case.compensation_amount = approval.amount
            case.compensation_currency = approval.currency
            fields += ["compensation_kind", "compensation_amount", "compensation_currency"]
        if case.status == CaseStatus.AWAITING_APPROVAL:
            events.record(
                case=case,
                actor=actor,
                type=events.STATUS_CHANGED,
                data={"from": case.status, "to": CaseStatus.IN_PROGRESS},
            )
            case.status = CaseStatus.IN_PROGRESS
            fields.append("status")
        events.record(
            case=case,
            actor=actor,
            type=events.APPROVAL_DECIDED,
            data={
                "approval_id": approval.pk,
                "status": approval.status,
                "amount": str(approval.amount),
                "currency": approval.currency,
            },
        )
        if approve:
            from recovery.services import apology  # the offer in the draft follows

            fields += apology.draft_locked(case, actor=actor)
        case.updated_at = now
        case.save(update_fields=sorted(set(fields)))
    return approval


def month_start(moment: date | None = None) -> date:
    moment = moment or timezone.localdate()
    return moment.replace(day=1)


def team_spend(*, team_id: int, month: date) -> Decimal:
    """Compensation approved for the team's tickets in the month (by decision date)."""
    start = month
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    total = CompensationApproval.objects.filter(
        status=ApprovalStatus.APPROVED,
        case__ticket__team_id=team_id,
        decided_at__date__gte=start,
        decided_at__date__lt=end,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def team_budget(*, team_id: int, month: date) -> TeamBudget | None:
    return TeamBudget.objects.filter(team_id=team_id, month=month).first()
