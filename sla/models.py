"""Service-level policies, business-hours calendars and each ticket's clocks.

Each active promise on a ticket is a `SlaTarget` row with indexed due and
warning instants, so the minute scan reads only what is due, by index.
"""

from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TIME_ZONE_CHOICES, Tier
from sla import business_hours
from tickets.models import Category, Channel, Priority


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BusinessCalendar(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    always_open = models.BooleanField(_("open 24/7"), default=False)
    holiday_country = models.CharField(
        _("public holidays of country"),
        max_length=2,
        blank=True,
        help_text=_("ISO code such as ES, GB or US; leave empty for none."),
    )
    holiday_subdivision = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("Optional region code, such as MD or CA."),
    )

    class Meta:
        verbose_name = _("business-hours calendar")
        verbose_name_plural = _("business-hours calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.holiday_country:
            import holidays

            try:
                holidays.country_holidays(
                    self.holiday_country, subdiv=self.holiday_subdivision or None
                )
            except NotImplementedError as exc:
                raise ValidationError({"holiday_country": str(exc)}) from exc

    def to_calendar(self) -> business_hours.Calendar:
        """The arithmetic view of this calendar. Precondition: spans and closed dates prefetched or few."""
        return business_hours.Calendar(
            time_zone=self.time_zone,
            always_open=self.always_open,
            spans=[business_hours.Span(s.weekday, s.opens, s.closes) for s in self.spans.all()],
            country=self.holiday_country,
            subdivision=self.holiday_subdivision,
            closed_dates={c.date for c in self.closed_dates.all()},
        )


class OpeningSpan(models.Model):
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="spans")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("A closing time before the opening time runs past midnight.")
    )

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ClosedDate(models.Model):
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closed_dates"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="sla_closed_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Policy(models.Model):
    """Chosen per ticket: the first active policy, by position, whose conditions all match.

    An empty condition matches everything; the default policy matches when none does.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(_("default"), default=False)
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("business hours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: the clock runs 24/7."),
    )
    match_priorities = models.JSONField(_("priorities"), default=list, blank=True)
    match_tiers = models.JSONField(_("customer tiers"), default=list, blank=True)
    match_channels = models.JSONField(_("channels"), default=list, blank=True)
    match_categories = models.JSONField(_("categories"), default=list, blank=True)
    match_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    pause_on_hold = models.BooleanField(
        _("pause while on hold"),
        default=False,
        help_text=_("The clock always pauses while pending on the customer."),
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warn when this share of the time has passed (percent)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    escalate_priority = models.CharField(
        _("on breach, raise priority to"), max_length=8, choices=Priority.choices, blank=True
    )
    escalate_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("on breach, move to team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="sla_one_default_policy"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field, choices in (
            ("match_priorities", Priority.values),
            ("match_tiers", Tier.values),
            ("match_channels", Channel.values),
            ("match_categories", Category.values),
        ):
            value = getattr(self, field)
            if not isinstance(value, list) or any(v not in choices for v in value):
                raise ValidationError({field: _("Choose from: %(c)s") % {"c": ", ".join(choices)}})

    def matches(
        self, *, priority: str, tier: str, channel: str, category: str, organisation_id
    ) -> bool:
        return (
            (not self.match_priorities or priority in self.match_priorities)
            and (not self.match_tiers or tier in self.match_tiers)
            and (not self.match_channels or channel in self.match_channels)
            and (not self.match_categories or category in self.match_categories)
            and (
                self.match_organisation_id is None or self.match_organisation_id == organisation_id
            )
        )

    @cached_property
    def business_calendar(self) -> business_hours.Calendar:
        if self.calendar is None:
            return business_hours.Calendar(always_open=True)
        return self.calendar.to_calendar()


class TargetKind(models.TextChoices):
    FIRST_REPLY = "first_reply", _("First reply")
    NEXT_REPLY = "next_reply", _("Next reply")
    RESOLUTION = "resolution", _("Resolution")


class PolicyTarget(models.Model):
    """How long, in business minutes, each promise of a policy gives per priority."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="targets")
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    first_reply_minutes = models.PositiveIntegerField(
        _("first reply within (minutes)"), null=True, blank=True
    )
    next_reply_minutes = models.PositiveIntegerField(
        _("next reply within (minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolve within (minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.policy} / {self.priority}"

    def minutes_for(self, kind: str) -> int | None:
        return getattr(self, f"{kind}_minutes")


class TicketSla(models.Model):
    """Per-ticket SLA state: its policy, exemption, and how far the event stream is applied."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="sla")
    policy = models.ForeignKey(
        Policy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exempt = models.BooleanField(_("exempt from SLA"), default=False)
    # Events of this ticket up to this id have been applied (ticket events are
    # written under the ticket's row lock, so per ticket they commit in id order).
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket SLA")
        verbose_name_plural = _("ticket SLAs")

    def __str__(self) -> str:
        return f"SLA of ticket {self.ticket_id}"


class TargetState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (TargetState.RUNNING, TargetState.PAUSED)


class SlaTarget(models.Model):
    """One promise on one ticket, with its clock.

    Business time used so far = `used_seconds` + (time since `resumed_at`
    while running). `due_at`/`warn_at` are set only while running.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="sla_targets"
    )
    policy = models.ForeignKey(Policy, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=TargetKind.choices)
    state = models.CharField(
        max_length=10, choices=TargetState.choices, default=TargetState.RUNNING
    )
    target_seconds = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    resumed_at = models.DateTimeField(null=True, blank=True)
    used_seconds = models.FloatField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Outcome: seconds of business time past (positive) or before (negative) the promise.
    overrun_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        indexes = [
            # The minute scan: running targets whose warning or breach instant has come.
            models.Index(
                fields=["warn_at"],
                name="sla_target_warn_due",
                condition=Q(state="running", warned_at__isnull=True, breached_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="sla_target_breach_due",
                condition=Q(state="running", breached_at__isnull=True),
            ),
            models.Index(fields=["ticket", "kind"], name="sla_target_ticket_kind"),
            models.Index(fields=["kind", "state", "completed_at"], name="sla_target_outcomes"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of ticket {self.ticket_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def remaining_seconds(self, now: datetime | None = None) -> float | None:
        """Wall-clock seconds until the due instant (negative once past); None while paused or done."""
        if self.state != TargetState.RUNNING or self.due_at is None:
            return None
        return (self.due_at - (now or timezone.now())).total_seconds()


class SlaNotice(models.Model):
    """Who was told of a warning or breach: unique, so a repeated scan tells nobody twice."""

    target = models.ForeignKey(SlaTarget, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10)  # "warning" or "breach"
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "kind", "recipient"], name="sla_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice for target {self.target_id}"
