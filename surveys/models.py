"""Satisfaction surveys about tickets and the customers' answers.

A Survey is one question (CSAT, NPS or customer effort) about one ticket,
due at `scheduled_for`; a later issue dispatches it by email with a signed
link built from `token`. A SurveyResponse is the customer's answer. Every
write goes through `surveys.services`; `save()` has no side effects.
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
    scheduled_for = models.DateTimeField(_("scheduled for"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
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
        ]
        indexes = [
            # The dispatcher claims due rows: status = scheduled AND scheduled_for <= now.
            models.Index(fields=["status", "scheduled_for"], name="survey_due"),
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
