"""Issuing compensation: real records, vouchers, and the team budget charged once.

Every route (case page, API, anything posting to them) comes through
`compensation_issue`, which holds the limit: within the issuer's own limit, or
an approved request for exactly this case. Outbound billing webhooks are not
built yet; the issue row is what they will read.
"""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import Conflict, PermissionDenied
from recovery import events, policy
from recovery.models import (
    ApprovalStatus,
    CompensationApproval,
    CompensationIssue,
    CompensationKind,
    RecoveryCase,
    TeamBudget,
)
from recovery.services.approvals import month_start
from recovery.services.common import lock_case, require_staff

VOUCHER_VALID_FOR = timedelta(days=180)


def compensation_issue(*, actor: User, case: RecoveryCase) -> CompensationIssue:
    """Grants the case's current compensation once, charging the ticket team's budget.

    Precondition: `case` came from a selector scoped to `actor`. Above the
    actor's limit, the case's latest approved request must cover exactly this
    compensation. The budget row is locked while it is charged, and the
    database refuses a second issue for the same case and approval.
    """
    require_staff(actor)
    try:
        with transaction.atomic():
            return _issue(actor=actor, case=case)
    except IntegrityError:
        raise Conflict(_("This compensation has already been issued.")) from None


def _issue(*, actor: User, case: RecoveryCase) -> CompensationIssue:
    case = lock_case(case)
    if not case.compensation_kind:
        raise Conflict(_("No compensation is proposed on this case."))
    if not case.is_active:
        raise Conflict(_("Only a case in work can issue compensation."))
    approval = (
        CompensationApproval.objects.filter(case=case, status=ApprovalStatus.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    covered = approval is not None and (
        approval.kind,
        approval.amount,
        approval.currency,
    ) == (case.compensation_kind, case.compensation_amount, case.compensation_currency)
    if not covered:
        approval = None
        if not policy.can_grant(
            user=actor, kind=case.compensation_kind, amount=case.compensation_amount
        ):
            raise PermissionDenied(
                _("This is above your limit: ask a lead or manager to approve it first.")
            )
    if CompensationIssue.objects.filter(case=case, approval=approval).exists():
        raise Conflict(_("This compensation has already been issued."))
    now = timezone.now()
    team_id = case.ticket.team_id
    if team_id and case.compensation_amount:
        budget = (
            TeamBudget.objects.select_for_update()
            .filter(team_id=team_id, month=month_start(timezone.localdate(now)))
            .first()
        )
        if budget is not None:
            if budget.spent + case.compensation_amount > budget.amount:
                raise Conflict(_("This would take the team over its budget for the month."))
            TeamBudget.objects.filter(pk=budget.pk).update(
                spent=F("spent") + case.compensation_amount
            )
    voucher = case.compensation_kind == CompensationKind.VOUCHER
    issue = CompensationIssue.objects.create(
        case=case,
        approval=approval,
        kind=case.compensation_kind,
        amount=case.compensation_amount,
        currency=case.compensation_currency,
        issued_by=actor,
        approved_by=approval.decided_by if approval else None,
        team_id=team_id,
        voucher_code=secrets.token_urlsafe(16) if voucher else "",
        voucher_expires_at=now + VOUCHER_VALID_FOR if voucher else None,
        created_at=now,
    )
    events.record(
        case=case,
        actor=actor,
        type=events.COMPENSATION_ISSUED,
        data={
            "issue_id": issue.pk,
            "kind": issue.kind,
            "amount": str(issue.amount) if issue.amount is not None else None,
            "currency": issue.currency,
            "approval_id": approval.pk if approval else None,
        },
    )
    return issue


def voucher_redeem(*, code: str) -> bool:
    """Redeems a voucher once: one conditional UPDATE, so two redemptions cannot both win.

    False for an unknown, expired or already redeemed code.
    """
    if not isinstance(code, str) or not code:
        return False
    now = timezone.now()
    return (
        CompensationIssue.objects.filter(
            voucher_code=code, voucher_redeemed_at__isnull=True, voucher_expires_at__gt=now
        ).update(voucher_redeemed_at=now)
        == 1
    )
