"""Recovery cases: a case per customer failure, the signals that fed it, its audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import FAILURE_CATEGORIES, format_reference


class FailureType(models.TextChoices):
    TECHNICAL_DIFFICULTY = "technical_difficulty", _("Technical difficulty")
    DEFECTIVE_PRODUCT = "defective_product", _("Defective product")
    OVERCHARGE = "overcharge", _("Overcharge")
    LATE_DELIVERY = "late_delivery", _("Late delivery")
    POOR_SUPPORT = "poor_support", _("Poor support")
    SLA_BREACH = "sla_breach", _("Missed response or resolution target")
    LONG_WAIT = "long_wait", _("Long wait")
    HANDOFFS = "handoffs", _("Passed between too many people")
    REOPENED = "reopened", _("Reopened ticket")
    REPEAT_CONTACT = "repeat_contact", _("Had to contact us again")
    NEGATIVE_SENTIMENT = "negative_sentiment", _("Upset message")
    LOW_CSAT = "low_csat", _("Low satisfaction score")
    ESCALATION_REQUEST = "escalation_request", _("Asked for a manager")


# What went wrong, as an agent diagnoses it (the ticket's failure categories), as
# opposed to the symptoms detectors see (a breach, an upset message, a reopen...).
# A case opened on a symptom takes the diagnosis when one joins it.
DIAGNOSES = frozenset(FailureType(category) for category in FAILURE_CATEGORIES)

# Playbooks are chosen by situation: a failure type, the proactive catch of a
# failure that has not happened yet, or the generic fallback for the rest.
PROACTIVE = "proactive"
GENERIC = "generic"
SITUATION_CHOICES = [
    *FailureType.choices,
    (PROACTIVE, _("Caught before it happened")),
    (GENERIC, _("Any other failure")),
]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Cases still being worked: new signals for the same failure join one of these.
ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_APPROVAL)
FINISHED_STATUSES = (CaseStatus.RESOLVED, CaseStatus.CLOSED)

# Which status may follow which. Closed is final; a resolved case may be
# taken up again when the customer is still unhappy.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset(
        {
            CaseStatus.IN_PROGRESS,
            CaseStatus.AWAITING_APPROVAL,
            CaseStatus.RESOLVED,
            CaseStatus.CLOSED,
        }
    ),
    CaseStatus.IN_PROGRESS: frozenset(
        {CaseStatus.OPEN, CaseStatus.AWAITING_APPROVAL, CaseStatus.RESOLVED, CaseStatus.CLOSED}
    ),
    CaseStatus.AWAITING_APPROVAL: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED}
    ),
    CaseStatus.RESOLVED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class Outcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    NO_ANSWER = "no_answer", _("No answer")
    CHURNED = "churned", _("Customer left")


class CompensationKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    PARTIAL_REFUND = "partial_refund", _("Partial refund")
    CREDIT = "credit", _("Account credit")
    VOUCHER = "voucher", _("Voucher")
    DISCOUNT = "discount", _("Discount on next order")
    FREE_MONTH = "free_month", _("Free month")
    REPLACEMENT = "replacement", _("Replacement")
    UPGRADE = "upgrade", _("Free upgrade")
    GESTURE = "gesture", _("Goodwill gesture")


class SeverityBand(models.TextChoices):
    CRITICAL = "critical", _("Critical (75+)")
    HIGH = "high", _("High (50-74)")
    MEDIUM = "medium", _("Medium (25-49)")
    LOW = "low", _("Low (under 25)")


# Lowest severity of each band, most severe first.
SEVERITY_BAND_FLOORS: tuple[tuple[str, int], ...] = (
    (SeverityBand.CRITICAL, 75),
    (SeverityBand.HIGH, 50),
    (SeverityBand.MEDIUM, 25),
    (SeverityBand.LOW, 0),
)


def severity_band(severity: int) -> str:
    for band, floor in SEVERITY_BAND_FLOORS:
        if severity >= floor:
            return band
    return SeverityBand.LOW


class RecoveryCaseQuerySet(models.QuerySet["RecoveryCase"]):
    def visible_to(self, user) -> "RecoveryCaseQuerySet":
        """The one rule for case access: staff see every case, everyone else none.

        Cases hold internal judgements (scores, compensation limits), so
        customers never read them, not even their own.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_agent:
            return self
        return self.none()

    def active(self) -> "RecoveryCaseQuerySet":
        return self.filter(status__in=ACTIVE_STATUSES)


class RecoveryCase(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="recovery_cases",
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="recovery_cases",
    )
    failure_type = models.CharField(_("failure type"), max_length=24, choices=FailureType.choices)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)

    severity = models.PositiveSmallIntegerField(_("severity"), default=0)
    # [{"factor", "points", "detail", "data"}]: see recovery.scoring.
    score_reasons = models.JSONField(_("severity reasons"), default=list, blank=True)
    recovery_chance = models.PositiveSmallIntegerField(_("chance of recovery (%)"), default=0)
    recovery_chance_reasons = models.JSONField(
        _("recovery chance reasons"), default=list, blank=True
    )

    apology_subject = models.CharField(_("apology subject"), max_length=255, blank=True)
    apology_body = models.TextField(_("apology"), blank=True)
    # An agent changed the draft: new facts no longer redraft it over their words.
    apology_edited = models.BooleanField(_("apology edited by an agent"), default=False)
    apology_sent_at = models.DateTimeField(_("apology sent"), null=True, blank=True)
    # When the outcome was recorded, and how long detection to resolution took then.
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    time_to_recover = models.DurationField(_("time to recover"), null=True, blank=True)
    compensation_kind = models.CharField(
        _("compensation"), max_length=16, choices=CompensationKind.choices, blank=True
    )
    compensation_amount = models.DecimalField(
        _("compensation amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_currency = models.CharField(_("compensation currency"), max_length=3, blank=True)

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_recovery_cases",
    )
    # Caught before the customer felt it (an SLA warning on a valued customer):
    # the proactive playbook applies until a real failure joins the case.
    proactive = models.BooleanField(_("caught before it happened"), default=False)
    # The most negative sentiment (-1..1) read in the customer's messages, if any.
    sentiment = models.FloatField(_("message sentiment"), null=True, blank=True)
    playbook = models.ForeignKey(
        "recovery.Playbook",
        verbose_name=_("playbook"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    root_cause = models.ForeignKey(
        "recovery.RootCause",
        verbose_name=_("root cause"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    root_cause_note = models.TextField(_("root cause notes"), blank=True)

    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # When the score was last computed: the beat rescores active cases whose score is stale.
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = RecoveryCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("recovery case")
        verbose_name_plural = _("recovery cases")
        ordering = ["-severity", "detected_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=0) & Q(severity__lte=100),
                name="recovery_case_severity_0_100",
            ),
            models.CheckConstraint(
                condition=Q(recovery_chance__gte=0) & Q(recovery_chance__lte=100),
                name="recovery_case_chance_0_100",
            ),
            models.CheckConstraint(
                condition=Q(compensation_amount__isnull=True) | Q(compensation_amount__gte=0),
                name="recovery_case_compensation_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sentiment__isnull=True) | (Q(sentiment__gte=-1) & Q(sentiment__lte=1)),
                name="recovery_case_sentiment_range",
            ),
            # One case in work per ticket: a second signal joins it (see case_open).
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="recovery_case_one_active_per_ticket",
            ),
        ]
        indexes = [
            # The recovery queue: active cases, most severe first, then oldest.
            models.Index(fields=["status", "-severity", "detected_at"], name="recovery_case_queue"),
            # Duplicate check and prior-failure count: a customer's cases by date.
            models.Index(fields=["customer", "detected_at"], name="recovery_case_customer"),
            models.Index(fields=["failure_type", "status"], name="recovery_case_type_status"),
            # The 15-minute rescore: active cases by how stale their score is.
            models.Index(
                fields=["scored_at"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="recovery_case_rescore_due",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_failure_type_display()} ({self.severity})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def severity_band(self) -> str:
        return severity_band(self.severity)

    def can_transition_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def situation(self) -> str:
        """Which playbook fits: the proactive one while nothing has failed yet, else the type's."""
        return PROACTIVE if self.proactive else self.failure_type


class RecoverySignal(models.Model):
    """One sighting of a failure: a detector's event or an agent's report.

    `source` names the delivery (such as ``event:42:sla_breach``); a second
    delivery with the same source adds nothing, and the database refuses it
    even when two deliveries race. Signals without a source (blank: reported
    by hand) always add a row. `data` holds the facts the signal brought and
    what its detector saw (sentiment, matched phrase, related ticket).
    """

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(_("failure type"), max_length=24, choices=FailureType.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("recovery signal")
        verbose_name_plural = _("recovery signals")
        ordering = ["created_at", "id"]
        constraints = [
            # Blank sources (reported by hand) may repeat; a detector's delivery may
            # not, on any case: a redelivered event must never feed a second case.
            models.UniqueConstraint(
                fields=["source"],
                condition=~Q(source=""),
                name="recovery_signal_source_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["source"], name="recovery_signal_source"),
            models.Index(fields=["ticket"], name="recovery_signal_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id}"

    @property
    def ticket_reference(self) -> str:
        """The ticket's reference without loading the ticket."""
        return format_reference(self.ticket_id)


class RecoveryCaseEvent(models.Model):
    """The audit trail of a case: who changed what, and when."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recovery case event")
        verbose_name_plural = _("recovery case events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="recovery_event_case_created")]

    def __str__(self) -> str:
        return f"{self.type} on case {self.case_id}"
