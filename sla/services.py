"""The SLA engine: applies the ticket event stream to each ticket's clocks, and
scans for warnings and breaches.

Clocks move only here. `ticket_sla_sync` applies a ticket's not-yet-applied
events in order, under a lock on its `TicketSla` row, so a retried or
duplicated task applies nothing twice. `sla_scan` claims due targets with a
conditional UPDATE, so two scans at the same moment emit each breach once.
"""

import logging
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from helpdesk.errors import PermissionDenied
from sla import business_hours
from sla.models import (
    OPEN_STATES,
    BusinessCalendar,
    Policy,
    SlaNotice,
    SlaTarget,
    TargetKind,
    TargetState,
    TicketSla,
)
from tickets import events
from tickets import services as ticket_services
from tickets.models import PRIORITY_RANK, Status, Ticket, TicketEvent

logger = logging.getLogger(__name__)

WARNING = "sla.warning"  # data: target_id, kind, due_at
BREACHED = "sla.breached"  # data: target_id, kind, due_at, policy
events.register_types(WARNING, BREACHED)

REPLY_KINDS = (TargetKind.FIRST_REPLY, TargetKind.NEXT_REPLY)


# --- policies ---------------------------------------------------------------------


def _policies() -> list[Policy]:
    calendars = BusinessCalendar.objects.prefetch_related("spans", "closed_dates")
    return list(
        Policy.objects.filter(is_active=True)
        .prefetch_related(Prefetch("calendar", queryset=calendars), "targets")
        .order_by("position", "id")
    )


def policy_for(ticket: Ticket, policies: list[Policy] | None = None) -> Policy | None:
    """The first matching policy by position, else the default one."""
    policies = _policies() if policies is None else policies
    facts = {
        "priority": ticket.priority,
        "tier": ticket.requester.tier,
        "channel": ticket.channel,
        "category": ticket.category,
        "organisation_id": ticket.organisation_id,
    }
    for policy in policies:
        if not policy.is_default and policy.matches(**facts):
            return policy
    return next((p for p in policies if p.is_default), None)


def _target_seconds(policy: Policy, priority: str, kind: str) -> int | None:
    for target in policy.targets.all():
        if target.priority == priority:
            minutes = target.minutes_for(kind)
            return None if minutes is None else minutes * 60
    return None


# --- clock arithmetic on one target ---------------------------------------------------


def _calendar(policy: Policy | None) -> business_hours.Calendar:
    return policy.business_calendar if policy else business_hours.Calendar(always_open=True)


def _used(target: SlaTarget, calendar: business_hours.Calendar, at: datetime) -> float:
    used = target.used_seconds
    if target.state == TargetState.RUNNING and target.resumed_at:
        used += business_hours.business_seconds_between(calendar, target.resumed_at, at)
    return used


def _schedule(target: SlaTarget, calendar: business_hours.Calendar, warning_percent: int) -> None:
    """Sets due/warn instants of a running target from its used time and `resumed_at`."""
    start = target.resumed_at
    remaining = target.target_seconds - target.used_seconds
    target.due_at = business_hours.add_business_seconds(calendar, start, remaining)
    if target.warned_at is None:
        warn_after = target.target_seconds * warning_percent / 100 - target.used_seconds
        target.warn_at = business_hours.add_business_seconds(calendar, start, max(0.0, warn_after))
    else:
        target.warn_at = None


def _pause(target: SlaTarget, calendar, at: datetime) -> None:
    target.used_seconds = _used(target, calendar, at)
    target.state = TargetState.PAUSED
    target.resumed_at = target.due_at = target.warn_at = None


def _resume(target: SlaTarget, calendar, at: datetime, warning_percent: int) -> None:
    target.state = TargetState.RUNNING
    target.resumed_at = at
    _schedule(target, calendar, warning_percent)


def _complete(target: SlaTarget, calendar, at: datetime) -> None:
    used = _used(target, calendar, at)
    target.used_seconds = used
    target.overrun_seconds = used - target.target_seconds
    target.state = (
        TargetState.BREACHED
        if target.breached_at or target.overrun_seconds > 0
        else TargetState.MET
    )
    target.completed_at = at
    target.resumed_at = target.due_at = target.warn_at = None


def _cancel(target: SlaTarget, calendar, at: datetime) -> None:
    target.used_seconds = _used(target, calendar, at)
    target.state = TargetState.CANCELLED
    target.completed_at = at
    target.resumed_at = target.due_at = target.warn_at = None


# --- applying events ----------------------------------------------------------------


class _Clocks:
    """One ticket's open targets while its events are applied. Precondition: TicketSla row locked."""

    def __init__(self, ticket: Ticket, state: TicketSla, policies: list[Policy]):
        self.ticket = ticket
        self.state = state
        self.policies = policies
        self.policy = next((p for p in policies if p.pk == state.policy_id), None)
        self.open = list(
            SlaTarget.objects.filter(ticket=ticket, state__in=OPEN_STATES).order_by("id")
        )
        self.loaded = list(self.open)
        self.dirty: set[int] = set()
        self.new: list[SlaTarget] = []

    @property
    def calendar(self):
        return _calendar(self.policy)

    @property
    def warning_percent(self) -> int:
        return self.policy.warning_percent if self.policy else 75

    def _paused_now(self) -> bool:
        status = self.ticket.status
        return status == Status.PENDING or (
            status == Status.ON_HOLD and bool(self.policy and self.policy.pause_on_hold)
        )

    def start(self, kind: str, at: datetime) -> None:
        if self.state.exempt or self.policy is None:
            return
        if any(t.kind == kind for t in self.open):
            return
        seconds = _target_seconds(self.policy, self.ticket.priority, kind)
        if seconds is None:
            return
        target = SlaTarget(
            ticket=self.ticket,
            policy=self.policy,
            kind=kind,
            target_seconds=seconds,
            started_at=at,
        )
        if self._paused_now():
            target.state = TargetState.PAUSED
        else:
            _resume(target, self.calendar, at, self.warning_percent)
        self.open.append(target)
        self.new.append(target)

    def finish(self, kinds, at: datetime, *, cancel: bool = False) -> None:
        for target in list(self.open):
            if target.kind in kinds:
                (_cancel if cancel else _complete)(target, self.calendar, at)
                self._touch(target)
                self.open.remove(target)

    def pause_all(self, at: datetime) -> None:
        for target in self.open:
            if target.state == TargetState.RUNNING:
                _pause(target, self.calendar, at)
                self._touch(target)

    def resume_all(self, at: datetime) -> None:
        for target in self.open:
            if target.state == TargetState.PAUSED:
                _resume(target, self.calendar, at, self.warning_percent)
                self._touch(target)

    def recompute(self, at: datetime) -> None:
        """Priority, category or policy changed: re-pick the policy and re-time open targets."""
        self.policy = policy_for(self.ticket, self.policies)
        self.state.policy = self.policy
        for target in list(self.open):
            seconds = (
                _target_seconds(self.policy, self.ticket.priority, target.kind)
                if self.policy
                else None
            )
            used = _used(target, self.calendar, at)
            if seconds is None:
                _cancel(target, self.calendar, at)
                self.open.remove(target)
            else:
                target.policy = self.policy
                target.target_seconds = seconds
                target.used_seconds = used
                if target.state == TargetState.RUNNING:
                    target.resumed_at = at
                    _schedule(target, self.calendar, self.warning_percent)
            self._touch(target)

    def _touch(self, target: SlaTarget) -> None:
        if target.pk:
            self.dirty.add(target.pk)

    def save(self) -> None:
        SlaTarget.objects.bulk_create(self.new)
        changed = [t for t in self.loaded if t.pk in self.dirty]
        if changed:
            SlaTarget.objects.bulk_update(
                changed,
                [
                    "policy",
                    "state",
                    "target_seconds",
                    "resumed_at",
                    "used_seconds",
                    "due_at",
                    "warn_at",
                    "completed_at",
                    "overrun_seconds",
                ],
            )


def _apply(clocks: _Clocks, event: TicketEvent) -> None:
    at = event.created_at
    data = event.data or {}
    ticket = clocks.ticket
    if event.type == events.CREATED:
        clocks.policy = policy_for(ticket, clocks.policies)
        clocks.state.policy = clocks.policy
        clocks.start(TargetKind.FIRST_REPLY, at)
        clocks.start(TargetKind.RESOLUTION, at)
    elif event.type == events.MESSAGE_ADDED and not data.get("internal"):
        if data.get("from_customer"):
            if not any(t.kind in REPLY_KINDS for t in clocks.open):
                answered = any(t.kind == TargetKind.FIRST_REPLY for t in clocks.new) or (
                    SlaTarget.objects.filter(ticket=ticket, kind=TargetKind.FIRST_REPLY).exists()
                )
                clocks.start(TargetKind.NEXT_REPLY if answered else TargetKind.FIRST_REPLY, at)
        else:
            clocks.finish(REPLY_KINDS, at)
    elif event.type == events.STATUS_CHANGED:
        to = data.get("to")
        if to in (Status.SOLVED, Status.CLOSED):
            clocks.finish(REPLY_KINDS, at, cancel=True)
            clocks.finish((TargetKind.RESOLUTION,), at)
        elif to == Status.PENDING or (
            to == Status.ON_HOLD and clocks.policy and clocks.policy.pause_on_hold
        ):
            clocks.pause_all(at)
        else:
            clocks.resume_all(at)
    elif event.type == events.REOPENED:
        clocks.start(TargetKind.RESOLUTION, at)
    elif event.type in (events.PRIORITY_CHANGED, events.CATEGORY_CHANGED):
        clocks.recompute(at)


def ticket_sla_sync(*, ticket_id: int) -> int:
    """Applies the ticket's events not applied yet, in order; returns how many."""
    policies = _policies()
    with transaction.atomic():
        try:
            with transaction.atomic():
                TicketSla.objects.get_or_create(ticket_id=ticket_id)
        except IntegrityError:
            pass  # made by a concurrent sync a moment ago
        state = TicketSla.objects.select_for_update().filter(ticket_id=ticket_id).first()
        if state is None:
            return 0  # the ticket is gone
        pending = list(
            TicketEvent.objects.filter(ticket_id=ticket_id, pk__gt=state.last_event_id).order_by(
                "pk"
            )
        )
        if not pending:
            return 0
        ticket = Ticket.objects.select_related("requester").get(pk=ticket_id)
        clocks = _Clocks(ticket, state, policies)
        for event in pending:
            _replay_ticket_fields(ticket, event)
            _apply(clocks, event)
        clocks.save()
        state.last_event_id = pending[-1].pk
        state.save(update_fields=["last_event_id", "policy"])
    return len(pending)


def _replay_ticket_fields(ticket: Ticket, event: TicketEvent) -> None:
    """Sets the in-memory ticket to what it was just after `event`, for policy choice and pauses."""
    data = event.data or {}
    if event.type == events.CREATED:
        ticket.priority = data.get("priority", ticket.priority)
        ticket.category = data.get("category", ticket.category)
        ticket.status = Status.NEW
    elif event.type == events.STATUS_CHANGED:
        ticket.status = data.get("to", ticket.status)
    elif event.type == events.PRIORITY_CHANGED:
        ticket.priority = data.get("to", ticket.priority)
    elif event.type == events.CATEGORY_CHANGED:
        ticket.category = data.get("to", ticket.category)


def ticket_sla_recompute(*, ticket_id: int, at: datetime | None = None) -> None:
    """Re-picks the policy and re-times the open clocks after a policy or calendar change."""
    at = at or timezone.now()
    policies = _policies()
    with transaction.atomic():
        state = TicketSla.objects.select_for_update().filter(ticket_id=ticket_id).first()
        if state is None or state.exempt:
            return
        ticket = Ticket.objects.select_related("requester").get(pk=ticket_id)
        clocks = _Clocks(ticket, state, policies)
        clocks.recompute(at)
        clocks.save()
        state.save(update_fields=["policy"])


def policies_changed(*, actor: User) -> None:
    """After managers edit policies or calendars: re-time every ticket with a running clock, in the background."""
    from sla.tasks import recompute_open_tickets

    transaction.on_commit(lambda: recompute_open_tickets.delay())


def ticket_set_exempt(*, actor: User, ticket: Ticket, exempt: bool) -> TicketSla:
    """Exempts a ticket from its SLA (cancels running clocks) or brings it back under one."""
    if not actor.is_supervisor:
        raise PermissionDenied(
            gettext("Only team leads and managers may exempt a ticket from its SLA.")
        )
    now = timezone.now()
    with transaction.atomic():
        state, _ = TicketSla.objects.get_or_create(ticket=ticket)
        state = TicketSla.objects.select_for_update().get(pk=state.pk)
        if state.exempt == exempt:
            return state
        state.exempt = exempt
        ticket = Ticket.objects.select_related("requester").get(pk=ticket.pk)
        clocks = _Clocks(ticket, state, _policies())
        if exempt:
            clocks.finish(tuple(TargetKind.values), now, cancel=True)
        else:
            clocks.policy = policy_for(ticket, clocks.policies)
            state.policy = clocks.policy
            if ticket.is_active:
                clocks.start(TargetKind.RESOLUTION, now)
        clocks.save()
        state.save(update_fields=["exempt", "policy"])
    return state


# --- the minute scan --------------------------------------------------------------------


def sla_scan(*, now: datetime | None = None, batch: int = 1000) -> dict[str, int]:
    """Emits `sla.warning` and `sla.breached` for targets whose instant has come, once each.

    Reads only due rows through the partial indexes on `warn_at` and `due_at`,
    and claims them in one conditional UPDATE per kind: a concurrent scan
    skips rows this one holds and finds the claimed ones already stamped.
    """
    now = now or timezone.now()
    with transaction.atomic():
        breached = _claim("breached_at", "due_at", now=now, batch=batch)
        _announce(breached, BREACHED)
        for target in breached:
            _escalate(target)
    with transaction.atomic():
        warned = _claim("warned_at", "warn_at", now=now, batch=batch)
        _announce(warned, WARNING)
    return {"breached": len(breached), "warned": len(warned)}


def _claim(stamp: str, due: str, *, now: datetime, batch: int) -> list[SlaTarget]:
    """Stamps up to `batch` due, unstamped running targets with `now`; returns them.

    Precondition: inside a transaction (the claim and its events commit together).
    """
    table = SlaTarget._meta.db_table
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    also = " AND breached_at IS NULL" if stamp == "warned_at" else ""
    sql = (
        f"UPDATE {table} SET {stamp} = %s WHERE id IN ("  # noqa: S608 - names are constants
        f"SELECT id FROM {table} WHERE state = %s AND {stamp} IS NULL{also} AND {due} <= %s "
        f"ORDER BY {due} LIMIT %s{skip_locked}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, TargetState.RUNNING, now, batch])
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    return list(
        SlaTarget.objects.filter(pk__in=ids)
        .select_related("ticket__assignee", "ticket__team__lead", "policy")
        .order_by(due)
    )


def _announce(targets: list[SlaTarget], kind: str) -> None:
    """One event per target in one INSERT, and the notices to assignee and team lead."""
    if not targets:
        return
    events.record_many(
        [
            (
                target.ticket,
                None,
                kind,
                {
                    "target_id": target.pk,
                    "kind": target.kind,
                    "due_at": target.due_at.isoformat() if target.due_at else None,
                    "policy": target.policy.name if target.policy else None,
                },
            )
            for target in targets
        ]
    )
    _notify(targets, "breach" if kind == BREACHED else "warning")


def _escalate(target: SlaTarget) -> None:
    policy = target.policy
    if policy is None:
        return
    ticket = target.ticket
    changes = {}
    if (
        policy.escalate_priority
        and PRIORITY_RANK[policy.escalate_priority] > PRIORITY_RANK[ticket.priority]
    ):
        changes["priority"] = policy.escalate_priority
    if policy.escalate_team_id and policy.escalate_team_id != ticket.team_id:
        changes["team"] = policy.escalate_team
    if changes:
        ticket_services.ticket_update(actor=None, ticket=ticket, **changes)


def _notify(targets: list[SlaTarget], kind: str) -> None:
    """Queues the emails to assignee and team lead; the unique notice row makes each one once."""
    from sla.tasks import send_sla_notices

    notices = []
    for target in targets:
        ticket = target.ticket
        lead = ticket.team.lead if ticket.team else None
        for recipient_id in {u.pk for u in (ticket.assignee, lead) if u}:
            notices.append(SlaNotice(target=target, kind=kind, recipient_id=recipient_id))
    if not notices:
        return
    SlaNotice.objects.bulk_create(notices, ignore_conflicts=True)
    ids = list(
        SlaNotice.objects.filter(target__in=targets, kind=kind, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: send_sla_notices.delay(ids))
