"""Learning from failures: a root-cause taxonomy and coaching notes for agents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.models.cases import RecoveryCase


class RootCauseArea(models.TextChoices):
    PRODUCT = "product", _("Product")
    PROCESS = "process", _("Process")
    PEOPLE = "people", _("People")
    PARTNER = "partner", _("Partner")
    POLICY = "policy", _("Policy")


class RootCauseCategory(models.Model):
    """The five areas a failure comes from; fixed, shipped by a migration."""

    key = models.CharField(_("area"), max_length=12, choices=RootCauseArea.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("root cause category")
        verbose_name_plural = _("root cause categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class RootCause(models.Model):
    """A sub-cause within an area ("Carrier delay" under Partner); managers edit these."""

    category = models.ForeignKey(
        RootCauseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="causes",
    )
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive causes stay on old cases only.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["category__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="recovery_root_cause_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category.name}: {self.name}"


class CoachingNoteQuerySet(models.QuerySet["CoachingNote"]):
    def visible_to(self, user) -> "CoachingNoteQuerySet":
        """The one rule for coaching notes: the coached agent, the leads of the agent's
        teams, managers and admins, and whoever wrote the note; never other agents."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_manager:
            return self
        if not user.is_agent:
            return self.none()
        condition = Q(agent=user) | Q(author=user)
        if user.is_supervisor:
            condition |= Q(agent__teams__lead=user)
        return self.filter(condition).distinct()


class CoachingNote(models.Model):
    """Where poor handling caused a failure: what the agent can learn from it."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="coaching_notes",
    )
    case = models.ForeignKey(
        RecoveryCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="coaching_notes",
    )
    note = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CoachingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agent", "-created_at"], name="recovery_coaching_agent")]

    def __str__(self) -> str:
        return f"{self.agent} on case {self.case_id}"
