"""The thresholds recovery's detectors read."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Tier


def default_proactive_tiers() -> list[str]:
    return [Tier.GOLD.value, Tier.PLATINUM.value]


class DetectorSettings(models.Model):
    """The thresholds managers tune: one row (id 1), edited on a manager page and in the admin.

    Each detector in `recovery.detectors` reads its own fields; switching one
    off stops new cases from it and leaves existing cases alone.
    """

    SINGLETON_ID = 1

    sla_breach_enabled = models.BooleanField(_("missed SLA targets open a case"), default=True)
    sla_warning_enabled = models.BooleanField(
        _("SLA warnings on valued customers open a proactive case"), default=True
    )
    proactive_tiers = models.JSONField(
        _("tiers caught before a breach"),
        default=default_proactive_tiers,
        blank=True,
        help_text=_("An SLA warning on a customer of these tiers opens a proactive case."),
    )
    proactive_lifetime_value = models.DecimalField(
        _("lifetime value caught before a breach"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("5000"),
        help_text=_(
            "An SLA warning on a customer worth at least this much opens a proactive case."
        ),
    )
    long_wait_enabled = models.BooleanField(_("slow first replies open a case"), default=True)
    long_wait_hours = models.PositiveIntegerField(
        _("first reply promised within (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text=_("A first public reply later than this (wall-clock hours) is a long wait."),
    )
    handoffs_enabled = models.BooleanField(_("too many handoffs open a case"), default=True)
    max_handoffs = models.PositiveSmallIntegerField(
        _("handoffs allowed"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("A ticket passed between people or teams more often than this opens a case."),
    )
    reopened_enabled = models.BooleanField(_("reopened tickets open a case"), default=True)
    repeat_contact_enabled = models.BooleanField(
        _("repeat contacts about the same issue open a case"), default=True
    )
    repeat_contact_days = models.PositiveSmallIntegerField(
        _("repeat contact window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    repeat_contact_similarity = models.FloatField(
        _("subject similarity for the same issue"),
        default=0.4,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.0)],
        help_text=_(
            "Share of words two subjects have in common (0.1-1.0); the same failure "
            "category also counts as the same issue."
        ),
    )
    sentiment_enabled = models.BooleanField(_("upset messages open a case"), default=True)
    sentiment_threshold = models.FloatField(
        _("sentiment at or below"),
        default=-0.5,
        validators=[MinValueValidator(-1.0), MaxValueValidator(0.0)],
        help_text=_(
            "From -1 (furious) to 0 (neutral): a customer message at or below opens a case."
        ),
    )
    escalation_enabled = models.BooleanField(
        _("requests for a manager, cancellation or legal steps open a case"), default=True
    )
    low_csat_enabled = models.BooleanField(_("low survey scores open a case"), default=True)
    csat_max_score = models.PositiveSmallIntegerField(
        _("CSAT at or below"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    nps_max_score = models.PositiveSmallIntegerField(
        _("NPS at or below"), default=6, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    failure_category_enabled = models.BooleanField(
        _("failure categories set by agents open a case"), default=True
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("detector settings")
        verbose_name_plural = _("detector settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="recovery_detector_settings_one_row"),
            models.CheckConstraint(
                condition=Q(sentiment_threshold__gte=-1) & Q(sentiment_threshold__lte=0),
                name="recovery_detector_sentiment_range",
            ),
            models.CheckConstraint(
                condition=Q(repeat_contact_similarity__gt=0) & Q(repeat_contact_similarity__lte=1),
                name="recovery_detector_similarity_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Detector settings"))

    @classmethod
    def load(cls) -> "DetectorSettings":
        """The one row, made with the defaults the first time it is asked for."""
        row, _created = cls.objects.get_or_create(pk=cls.SINGLETON_ID)
        return row
