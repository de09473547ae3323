"""Every write to tickets. Portal, agent pages, API, email, chat and Celery all
come through here, so the rules live in one place.

Each service runs in one transaction, locks the ticket it transitions, saves
with `update_fields`, records a `TicketEvent` and defers side effects (mail,
websocket pushes) to `transaction.on_commit`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from accounts.models import Team, User
from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from tickets import events
from tickets.models import (
    Attachment,
    Category,
    Channel,
    Message,
    Priority,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)
from tickets.tasks import send_assignment_email, send_reply_email

MAX_SUBJECT = 255
MAX_BODY = 50_000
MAX_TAGS = 20


class _Unset:
    """Marks an argument the caller did not give (None is a real value: "unassign")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class NewAttachment:
    """An uploaded file, already read by the view: name, type and bytes."""

    filename: str
    content_type: str
    content: UploadedFile


# --- validation helpers -------------------------------------------------------


def _clean_text(value: str, *, field: str, max_length: int, label: str) -> str:
    if not isinstance(value, str):
        raise ApplicationError(_("%(label)s must be text.") % {"label": label}, field=field)
    value = value.replace("\x00", "").strip()
    if not value:
        raise ApplicationError(_("%(label)s cannot be empty.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise ApplicationError(
            _("%(label)s is too long (at most %(max)d characters).")
            % {"label": label, "max": max_length},
            field=field,
        )
    return value


def _check_choice(value: str, choices: type, *, field: str) -> str:
    if value not in choices.values:
        raise ApplicationError(
            _("“%(value)s” is not a valid choice.") % {"value": value}, field=field
        )
    return value


def _require_staff(actor: User | None) -> None:
    """Staff, or the system itself (actor None: automation, SLA escalation)."""
    if actor is not None and not actor.is_agent:
        raise PermissionDenied(_("Only support staff may do that."))


def _check_attachments(files: Sequence[UploadedFile]) -> None:
    if len(files) > settings.MAX_ATTACHMENTS_PER_MESSAGE:
        raise ApplicationError(
            _("At most %(n)d attachments per message.")
            % {"n": settings.MAX_ATTACHMENTS_PER_MESSAGE},
            field="attachments",
        )
    for upload in files:
        if upload.size > settings.MAX_ATTACHMENT_BYTES:
            raise ApplicationError(
                _("“%(name)s” is larger than the %(mb)d MB limit.")
                % {"name": upload.name, "mb": settings.MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                field="attachments",
            )


def safe_filename(name: str) -> str:
    """A display name without path parts or control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())[:200]
    try:
        return get_valid_filename(base) or "attachment"
    except Exception:  # get_valid_filename raises on names like ".."
        return "attachment"


def _save_attachments(message: Message, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        Attachment.objects.create(
            message=message,
            file=upload,
            filename=safe_filename(upload.name or ""),
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
            size=upload.size or 0,
        )


def _lock(ticket: Ticket) -> Ticket:
    """Reloads the ticket under a row lock, so concurrent changes serialise."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _touch(ticket: Ticket, fields: list[str]) -> None:
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=[*fields, "updated_at"])


# --- tickets ---------------------------------------------------------------------


def ticket_create(
    *,
    actor: User,
    requester: User,
    subject: str,
    body: str,
    channel: str = Channel.WEB,
    priority: str | None = None,
    category: str | None = None,
    tags: Iterable[str] = (),
    attachments: Sequence[UploadedFile] = (),
    email_message_id: str = "",
) -> Ticket:
    """Opens a ticket with its first message.

    Customers file for themselves only and cannot set triage fields; staff
    may file for anyone and set priority, category, channel and tags.
    """
    subject = _clean_text(subject, field="subject", max_length=MAX_SUBJECT, label=_("Subject"))
    body = _clean_text(body, field="body", max_length=MAX_BODY, label=_("Message"))
    _check_choice(channel, Channel, field="channel")
    if actor.is_customer:
        if requester.pk != actor.pk:
            raise PermissionDenied(_("Customers can only file tickets for themselves."))
        if priority or category or list(tags):
            raise PermissionDenied(_("Only support staff may set priority, category or tags."))
    elif not actor.is_agent and actor.pk is not None:
        raise PermissionDenied(_("You may not file tickets."))
    if priority:
        _check_choice(priority, Priority, field="priority")
    if category:
        _check_choice(category, Category, field="category")
    if not requester.is_active:
        raise ApplicationError(_("This customer account is deactivated."), field="requester")
    _check_attachments(attachments)

    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            subject=subject,
            requester=requester,
            organisation_id=requester.organisation_id,
            channel=channel,
            priority=priority or Priority.NORMAL,
            category=category or Category.GENERAL,
            created_at=now,
            updated_at=now,
        )
        tag_names = _tag_names(tags)
        if tag_names:
            ticket.tags.set(_tags_for(tag_names))
        message = Message.objects.create(
            ticket=ticket,
            author=requester,
            body=body,
            channel=channel,
            created_at=now,
            email_message_id=email_message_id[:255],
        )
        _save_attachments(message, attachments)
        events.record(
            ticket=ticket,
            actor=actor,
            type=events.CREATED,
            data={
                "channel": channel,
                "priority": ticket.priority,
                "category": ticket.category,
                "message_id": message.pk,
                "requester_id": requester.pk,
            },
        )
    return ticket


def message_add(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    channel: str | None = None,
    attachments: Sequence[UploadedFile] = (),
    email_message_id: str = "",
) -> Message:
    """Adds a customer message, a public reply or an internal note.

    Precondition: `ticket` came from a selector scoped to `actor`.
    A customer writing on a pending or solved ticket reopens it; a public
    staff reply is emailed to the requester after commit.
    """
    body = _clean_text(body, field="body", max_length=MAX_BODY, label=_("Message"))
    channel = channel or Channel.WEB
    _check_choice(channel, Channel, field="channel")
    if internal and not actor.is_agent:
        raise PermissionDenied(_("Only support staff may add internal notes."))
    _check_attachments(attachments)

    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.status == Status.CLOSED:
            raise Conflict(
                _("This ticket is closed. Please open a new ticket and mention %(ref)s.")
                % {"ref": ticket.reference}
            )
        now = timezone.now()
        message = Message.objects.create(
            ticket=ticket,
            author=actor,
            body=body,
            internal=internal,
            channel=channel,
            created_at=now,
            email_message_id=email_message_id[:255],
        )
        _save_attachments(message, attachments)
        from_customer = not actor.is_agent
        changed: list[str] = []
        if from_customer and ticket.status in (Status.PENDING, Status.SOLVED):
            _set_status(ticket, actor=actor, status=Status.OPEN)
            changed += ["status", "solved_at"]
        elif actor.is_agent and not internal:
            if ticket.first_replied_at is None:
                ticket.first_replied_at = now
                changed.append("first_replied_at")
            if ticket.status == Status.NEW:
                _set_status(ticket, actor=actor, status=Status.OPEN)
                changed.append("status")
        _touch(ticket, changed)
        events.record(
            ticket=ticket,
            actor=actor,
            type=events.MESSAGE_ADDED,
            data={
                "message_id": message.pk,
                "internal": internal,
                "from_customer": from_customer,
                "channel": channel,
            },
        )
        if actor.is_agent and not internal and _replies_by_email(ticket):
            transaction.on_commit(lambda: send_reply_email.delay(message.pk))
    return message


def _replies_by_email(ticket: Ticket) -> bool:
    """Whether a public reply on `ticket` is also emailed to its requester.

    SMS tickets answer by text (tickets.channels.sms), a live chat answers in
    the chat until nobody picked it up in time and it went on by email, and
    placeholder addresses (`.invalid`, RFC 2606) can receive nothing.
    """
    if ticket.requester.email.endswith(".invalid") or ticket.channel == Channel.SMS:
        return False
    if ticket.channel == Channel.CHAT:
        return TicketEvent.objects.filter(ticket=ticket, type="chat.timed_out").exists()
    return True


def _set_status(ticket: Ticket, *, actor: User | None, status: str) -> None:
    """Moves the (locked) ticket to `status` and records it; the caller saves."""
    previous = ticket.status
    if status == previous:
        return
    if not ticket.can_transition_to(status):
        raise ApplicationError(
            _("A ticket cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(previous).label, "to": Status(status).label},
            field="status",
        )
    ticket.status = status
    if status == Status.SOLVED:
        ticket.solved_at = timezone.now()
    if previous == Status.SOLVED and status == Status.OPEN:
        ticket.solved_at = None
        events.record(ticket=ticket, actor=actor, type=events.REOPENED, data={"from": previous})
    events.record(
        ticket=ticket,
        actor=actor,
        type=events.STATUS_CHANGED,
        data={"from": previous, "to": status},
    )


def ticket_change_status(*, actor: User, ticket: Ticket, status: str) -> Ticket:
    """Customers may reopen a solved ticket or mark their own as solved; staff may do any allowed move."""
    _check_choice(status, Status, field="status")
    with transaction.atomic():
        ticket = _lock(ticket)
        if actor.is_customer and not (
            (ticket.status == Status.SOLVED and status == Status.OPEN)
            or (ticket.is_active and status == Status.SOLVED)
        ):
            raise PermissionDenied(
                _("You can reopen a solved ticket or mark an open one as solved.")
            )
        if status == ticket.status:
            return ticket
        _set_status(ticket, actor=actor, status=status)
        _touch(ticket, ["status", "solved_at"])
    return ticket


def ticket_update(
    *,
    actor: User | None,
    ticket: Ticket,
    subject: str = UNSET,
    status: str = UNSET,
    priority: str = UNSET,
    category: str = UNSET,
    assignee: User | None = UNSET,
    team: Team | None = UNSET,
    tags: Iterable[str] = UNSET,
) -> Ticket:
    """Changes any of the ticket's fields (staff only); one event per change."""
    _require_staff(actor)
    if status is not UNSET:
        _check_choice(status, Status, field="status")
    if priority is not UNSET:
        _check_choice(priority, Priority, field="priority")
    if category is not UNSET:
        _check_choice(category, Category, field="category")
    if (
        assignee is not UNSET
        and assignee is not None
        and not (assignee.is_agent and assignee.is_active)
    ):
        raise ApplicationError(_("Tickets can only be assigned to active staff."), field="assignee")
    if subject is not UNSET:
        subject = _clean_text(subject, field="subject", max_length=MAX_SUBJECT, label=_("Subject"))

    with transaction.atomic():
        ticket = _lock(ticket)
        changed: list[str] = []
        if subject is not UNSET and subject != ticket.subject:
            events.record(
                ticket=ticket,
                actor=actor,
                type=events.SUBJECT_CHANGED,
                data={"from": ticket.subject, "to": subject},
            )
            ticket.subject = subject
            changed.append("subject")
        for field, value, event_type in (
            ("priority", priority, events.PRIORITY_CHANGED),
            ("category", category, events.CATEGORY_CHANGED),
        ):
            if value is not UNSET and value != getattr(ticket, field):
                events.record(
                    ticket=ticket,
                    actor=actor,
                    type=event_type,
                    data={"from": getattr(ticket, field), "to": value},
                )
                setattr(ticket, field, value)
                changed.append(field)
        if team is not UNSET and (team.pk if team else None) != ticket.team_id:
            handoff = ticket.team_id is not None and team is not None
            events.record(
                ticket=ticket,
                actor=actor,
                type=events.TEAM_CHANGED,
                data={"from": ticket.team_id, "to": team.pk if team else None, "handoff": handoff},
            )
            ticket.team = team
            changed.append("team")
            if handoff:
                ticket.handoff_count += 1
                changed.append("handoff_count")
        if assignee is not UNSET and (assignee.pk if assignee else None) != ticket.assignee_id:
            _assign(ticket, actor=actor, assignee=assignee)
            changed += ["assignee", "handoff_count"]
        if status is not UNSET and status != ticket.status:
            _set_status(ticket, actor=actor, status=status)
            changed += ["status", "solved_at"]
        if tags is not UNSET and _set_tags(ticket, actor=actor, names=tags):
            changed.append("updated_at")
        if changed:
            _touch(ticket, sorted(set(changed)))
    return ticket


def ticket_assign(*, actor: User, ticket: Ticket, assignee: User | None) -> Ticket:
    return ticket_update(actor=actor, ticket=ticket, assignee=assignee)


def _assign(ticket: Ticket, *, actor: User | None, assignee: User | None) -> None:
    """Assigns the locked ticket; a change between two agents counts as a handoff."""
    previous = ticket.assignee_id
    handoff = previous is not None and assignee is not None
    ticket.assignee = assignee
    if handoff:
        ticket.handoff_count += 1
    event = events.record(
        ticket=ticket,
        actor=actor,
        type=events.ASSIGNED,
        data={"from": previous, "to": assignee.pk if assignee else None, "handoff": handoff},
    )
    if assignee is not None and (actor is None or assignee.pk != actor.pk):
        transaction.on_commit(lambda: send_assignment_email.delay(event.pk))


def _tag_names(names: Iterable[str]) -> list[str]:
    cleaned = []
    for name in names:
        slug = slugify(str(name), allow_unicode=True)[:50]
        if slug and slug not in cleaned:
            cleaned.append(slug)
    if len(cleaned) > MAX_TAGS:
        raise ApplicationError(_("At most %(n)d tags.") % {"n": MAX_TAGS}, field="tags")
    return cleaned


def _tags_for(names: list[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing[name] for name in names]


def _set_tags(ticket: Ticket, *, actor: User | None, names: Iterable[str]) -> bool:
    """Replaces the tags; True when they changed."""
    wanted = _tag_names(names)
    current = set(ticket.tags.values_list("name", flat=True))
    added = [n for n in wanted if n not in current]
    removed = sorted(current - set(wanted))
    if not added and not removed:
        return False
    ticket.tags.set(_tags_for(wanted))
    events.record(
        ticket=ticket,
        actor=actor,
        type=events.TAGS_CHANGED,
        data={"added": added, "removed": removed},
    )
    return True
