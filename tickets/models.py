"""Tickets, their timeline (messages and events) and attachments.

Models hold fields, constraints and pure methods. Every write goes through
`tickets.services`; `save()` has no side effects.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEB = "web", _("Web portal")
    CHAT = "chat", _("Chat")
    API = "api", _("API")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending customer")
    ON_HOLD = "on_hold", _("On hold")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


# The workflow: which status may follow which. Closed is final; a customer who
# writes on a closed ticket starts a follow-up ticket instead.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.SOLVED, Status.CLOSED}
    ),
    Status.OPEN: frozenset({Status.PENDING, Status.ON_HOLD, Status.SOLVED, Status.CLOSED}),
    Status.PENDING: frozenset({Status.OPEN, Status.ON_HOLD, Status.SOLVED, Status.CLOSED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING, Status.SOLVED, Status.CLOSED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class Category(models.TextChoices):
    GENERAL = "general", _("General question")
    ACCOUNT = "account", _("Account and access")
    BILLING = "billing", _("Billing")
    SHIPPING = "shipping", _("Orders and shipping")
    FEATURE_REQUEST = "feature_request", _("Feature request")
    # Failure categories: setting one tells service recovery something went wrong.
    TECHNICAL_DIFFICULTY = "technical_difficulty", _("Technical difficulty")
    DEFECTIVE_PRODUCT = "defective_product", _("Defective product")
    OVERCHARGE = "overcharge", _("Overcharge")
    LATE_DELIVERY = "late_delivery", _("Late delivery")
    POOR_SUPPORT = "poor_support", _("Poor support")


FAILURE_CATEGORIES = frozenset(
    {
        Category.TECHNICAL_DIFFICULTY,
        Category.DEFECTIVE_PRODUCT,
        Category.OVERCHARGE,
        Category.LATE_DELIVERY,
        Category.POOR_SUPPORT,
    }
)


class Tag(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to(self, user) -> "TicketQuerySet":
        """The one place that says which tickets a user may see.

        Customers: their own, plus their organisation's where it shares
        tickets. Staff: all. Anyone else: none.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_agent:
            return self
        condition = Q(requester=user)
        if user.organisation_id:
            condition |= Q(organisation_id=user.organisation_id, organisation__shares_tickets=True)
        return self.filter(condition)

    def active(self) -> "TicketQuerySet":
        return self.filter(status__in=ACTIVE_STATUSES)


class Ticket(models.Model):
    subject = models.CharField(_("subject"), max_length=255)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="requested_tickets",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    category = models.CharField(
        _("category"), max_length=24, choices=Category.choices, default=Category.GENERAL
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collaborators"),
        blank=True,
        related_name="collaborating_tickets",
    )
    handoff_count = models.PositiveIntegerField(_("handoffs"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    first_replied_at = models.DateTimeField(_("first reply"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # Queues: each filters on one of these and sorts by recency.
            models.Index(fields=["status", "-updated_at"], name="ticket_status_updated"),
            models.Index(
                fields=["assignee", "status", "-updated_at"], name="ticket_assignee_status"
            ),
            models.Index(fields=["team", "status", "-updated_at"], name="ticket_team_status"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_created"),
            models.Index(fields=["organisation", "-created_at"], name="ticket_org_created"),
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return format_reference(self.pk)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def can_transition_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


def format_reference(pk: int | None) -> str:
    return f"{settings.HELPDESK_TICKET_PREFIX}-{pk}" if pk else ""


def parse_reference(reference: str) -> int | None:
    prefix = f"{settings.HELPDESK_TICKET_PREFIX}-"
    text = reference.strip().upper()
    if text.startswith(prefix) and text[len(prefix) :].isdigit():
        return int(text[len(prefix) :])
    return None


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user) -> "MessageQuerySet":
        """Messages on tickets the user may see; internal notes for staff only."""
        visible = self.filter(ticket__in=Ticket.objects.visible_to(user))
        if getattr(user, "is_agent", False):
            return visible
        return visible.filter(internal=False)


class Message(models.Model):
    """One entry written by a person: a customer message, a public reply or an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="ticket_messages",
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Internal notes are never shown to customers."),
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Email: the Message-ID this entry was sent or received under (threading),
    # and when it was emailed (so a retried send task does not send twice).
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_created")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"

    @property
    def from_customer(self) -> bool:
        return self.author_id == self.ticket.requester_id


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A server-made name: the upload's own name is kept only as data."""
    suffix = PurePath(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TicketEvent(models.Model):
    """The audit trail and the event stream: SLA, surveys and recovery read it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created"),
            models.Index(fields=["type", "created_at"], name="event_type_created"),
        ]

    def __str__(self) -> str:
        return f"{self.type} on {self.ticket_id}"


# --- Email intake (tickets/channels/email) ------------------------------------------


class InboundEmailQuerySet(models.QuerySet["InboundEmail"]):
    def without_raw(self) -> "InboundEmailQuerySet":
        """Lists never need the stored message itself, which may be megabytes."""
        return self.defer("raw", "text", "html")


class InboundEmail(models.Model):
    """One email that reached us, kept whatever became of it: the audit trail of intake.

    `email_message_id` is unique: it is what makes intake exactly-once (a message
    delivered twice, by two routes or two pollers at once, files once).
    `raw` holds the message as received (only its header block when it was
    too large to take); `text` is its full decoded text, quoted earlier mail
    and signature included, while the ticket message shows the trimmed part.
    """

    class Source(models.TextChoices):
        COMMAND = "command", _("Command")
        IMAP = "imap", _("Mailbox")
        WEBHOOK = "webhook", _("Webhook")

    class Outcome(models.TextChoices):
        CREATED = "created", _("Opened a ticket")
        REPLIED = "replied", _("Added to a ticket")
        AUTO_REPLY = "auto_reply", _("auto-reply")
        BOUNCE = "bounce", _("bounce")
        LOOP = "loop", _("loop")
        TOO_LARGE = "too_large", _("too large")
        UNPARSEABLE = "unparseable", _("unparseable")
        REFUSED = "refused", _("refused")

    email_message_id = models.CharField(max_length=255, unique=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    raw = models.BinaryField(editable=False)
    text = models.TextField(_("full text"), blank=True)
    html = models.TextField(_("sanitised HTML"), blank=True)
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    message = models.OneToOneField(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_email",
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["outcome", "-received_at"], name="inbound_outcome_received"),
        ]

    def __str__(self) -> str:
        return f"{self.email_message_id} ({self.outcome})"


class BouncedAddress(models.Model):
    """An address mail to which came back undelivered (a hard bounce).

    Marked by a delivery-status notification for one of our messages or by
    the SMTP server refusing the recipient; cleared when mail arrives from it.
    """

    email = models.CharField(_("email address"), max_length=254, unique=True)
    bouncing = models.BooleanField(_("bouncing"), default=True)
    bounce_count = models.PositiveIntegerField(_("bounces"), default=0)
    reason = models.CharField(_("last reason"), max_length=255, blank=True)
    last_bounced_at = models.DateTimeField(_("last bounced"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)

    class Meta:
        verbose_name = _("bounced address")
        verbose_name_plural = _("bounced addresses")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email
