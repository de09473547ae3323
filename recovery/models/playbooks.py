"""Playbooks: ordered steps per situation, copied onto each case to be ticked off."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.models.cases import SITUATION_CHOICES, RecoveryCase


class StepKind(models.TextChoices):
    LISTEN = "listen", _("Listen and ask what was lacking")
    APOLOGISE = "apologise", _("Apologise")
    RESOLVE = "resolve", _("Resolve")
    COMPENSATE = "compensate", _("Offer compensation")
    ROOT_CAUSE = "root_cause", _("Record the root cause")
    FOLLOW_UP = "follow_up", _("Follow up")
    OTHER = "other", _("Other")


class Playbook(models.Model):
    """What to do, step by step, in one situation. Managers edit them; shipped by a migration."""

    situation = models.CharField(
        _("situation"), max_length=24, choices=SITUATION_CHOICES, unique=True
    )
    name = models.CharField(_("name"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive playbooks give way to the generic one.")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=12, choices=StepKind.choices, default=StepKind.OTHER
    )
    title = models.CharField(_("step"), max_length=200)
    guidance = models.TextField(_("how"), blank=True)

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class CaseStep(models.Model):
    """A playbook step on one case, copied when the case opened, so later edits of the
    playbook do not move the ground under an agent halfway through. Ticking it records
    who and when."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="steps")
    playbook_step = models.ForeignKey(
        PlaybookStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=12, choices=StepKind.choices, default=StepKind.OTHER
    )
    title = models.CharField(_("step"), max_length=200)
    guidance = models.TextField(_("how"), blank=True)
    completed_at = models.DateTimeField(_("done"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["case", "position"], name="recovery_step_case")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None
