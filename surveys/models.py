"""Satisfaction surveys about tickets and the customers' answers.

A Survey is one question (CSAT, NPS or customer effort) about one ticket,
due at `scheduled_for`; the minute dispatch emails it with signed links built
from `token`, reminds once at `remind_at` and closes it at `expires_at`. A
SurveyResponse is the customer's answer. A SurveyQuestion is the wording of a
kind in one language. Every write goes through `surveys.services`; `save()`
has no side effects.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    CSAT = "csat", _("Customer satisfaction (1-5)")
    NPS = "nps", _("Net promoter score (0-10)")
    EFFORT = "effort", _("Customer effort (1-7)")


# The scores each kind allows, inclusive. The database holds the same rule
# as a check constraint on SurveyResponse.
SCORE_RANGES: dict[str, tuple[int, int]] = {
    SurveyKind.CSAT: (1, 5),
    SurveyKind.NPS: (0, 10),
    SurveyKind.EFFORT: (1, 7),
}


class SurveyStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class SurveyOrigin(models.TextChoices):
    """What asked for the survey; with `origin_id` it makes scheduling idempotent."""

    MANUAL = "manual", _("Created by hand or imported")
    SOLVED = "solved", _("Ticket solved")  # origin_id: the ticket.status_changed event
    RECOVERY = "recovery", _("Recovery case closed")  # origin_id: the recovery case


# Answers at or below these scores are "low": they alert the team lead and
# emit `survey.low_score` for service recovery.
LOW_SCORE_MAX: dict[str, int] = {
    SurveyKind.CSAT: 2,
    SurveyKind.NPS: 6,
    SurveyKind.EFFORT: 2,
}


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Survey(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="surveys"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=SurveyKind.choices, default=SurveyKind.CSAT
    )
    # Identifies the survey in emailed links; never shown in lists.
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.SCHEDULED
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=SurveyOrigin.choices, default=SurveyOrigin.MANUAL
    )
    origin_id = models.PositiveBigIntegerField(_("origin id"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # A dispatch that claims the survey (to send it or remind) holds it until
    # then; if the send never happens, a later dispatch claims it again.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    low_score_alerted_at = models.DateTimeField(_("low score alert sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SurveyKind.values), name="survey_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SurveyStatus.values), name="survey_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(sent_at__isnull=True)
                | Q(expires_at__gt=models.F("sent_at")),
                name="survey_expires_after_sent",
            ),
            models.UniqueConstraint(
                fields=["origin", "origin_id"],
                condition=Q(origin_id__isnull=False),
                name="survey_origin_once",
            ),
        ]
        indexes = [
            # The dispatcher claims due rows: status = scheduled AND scheduled_for <= now.
            models.Index(fields=["status", "scheduled_for"], name="survey_due"),
            # ... and due reminders, and rows to expire; each index holds only live rows.
            models.Index(
                fields=["remind_at"],
                condition=Q(
                    status=SurveyStatus.SENT, reminded_at__isnull=True, remind_at__isnull=False
                ),
                name="survey_remind_due",
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(status__in=[SurveyStatus.SCHEDULED, SurveyStatus.SENT]),
                name="survey_expiry_due",
            ),
            models.Index(fields=["ticket", "kind"], name="survey_ticket_kind"),
            models.Index(fields=["customer", "-created_at"], name="survey_customer_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} for ticket {self.ticket_id}"

    @property
    def score_range(self) -> tuple[int, int]:
        return SCORE_RANGES[self.kind]

    def is_expired(self, at=None) -> bool:
        if self.status == SurveyStatus.EXPIRED:
            return True
        return self.expires_at is not None and (at or timezone.now()) >= self.expires_at

    def is_low(self, score: int) -> bool:
        return score <= LOW_SCORE_MAX[self.kind]


def _score_in_range() -> Q:
    condition = Q()
    for kind, (low, high) in SCORE_RANGES.items():
        condition |= Q(kind=kind, score__gte=low, score__lte=high)
    return condition


class SurveyResponse(models.Model):
    survey = models.OneToOneField(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="response"
    )
    # A copy of survey.kind (which never changes) so the database can check
    # the score range and lists can filter by kind without a join.
    kind = models.CharField(_("kind"), max_length=8, choices=SurveyKind.choices, editable=False)
    score = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_score_in_range(), name="survey_response_score_in_range"
            ),
        ]
        indexes = [
            models.Index(fields=["-answered_at", "-id"], name="survey_response_answered"),
            models.Index(fields=["kind", "-answered_at"], name="survey_response_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.score} on survey {self.survey_id}"


class SurveyQuestion(models.Model):
    """How one kind of survey is worded in one language; staff edit it in the admin.

    English and Spanish ship with the app (migration 0003). A language without
    a row reads the English one, and without that the built-in wording.
    """

    kind = models.CharField(_("kind"), max_length=8, choices=SurveyKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    question = models.CharField(_("question"), max_length=300)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Optional: shown above the question.")
    )
    low_label = models.CharField(
        _("label of the lowest score"),
        max_length=60,
        blank=True,
        help_text=_("Such as “Very dissatisfied”."),
    )
    high_label = models.CharField(
        _("label of the highest score"),
        max_length=60,
        blank=True,
        help_text=_("Such as “Very satisfied”."),
    )
    comment_label = models.CharField(
        _("comment prompt"), max_length=200, blank=True, help_text=_("Such as “Anything to add?”.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"], name="survey_question_kind_language"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SurveyKind.values), name="survey_question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
