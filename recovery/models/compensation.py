"""Compensation policy: what to offer in which situation, and who may grant how much.

Managers edit both tables (in the admin for now); the suggestion a rule makes is
stored on the case, and the role limits decide whether the viewer may grant it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Tier
from recovery.models.cases import CompensationKind, FailureType, SeverityBand


class CompensationRule(models.Model):
    """Failure type (+ severity band, + customer tier) -> the remedy to suggest.

    Blank band or tier matches any; the most specific active rule wins (tier and
    band set beat either, either beats neither), then the lowest position. A
    blank amount means "the amount in the case's facts" (what was overcharged).
    """

    failure_type = models.CharField(_("failure type"), max_length=24, choices=FailureType.choices)
    severity_band = models.CharField(
        _("severity band"), max_length=12, choices=SeverityBand.choices, blank=True
    )
    tier = models.CharField(_("customer tier"), max_length=16, choices=Tier.choices, blank=True)
    kind = models.CharField(_("remedy"), max_length=16, choices=CompensationKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Blank: the amount recorded in the case's facts."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("Blank: the facts' currency.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
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
        verbose_name = _("compensation rule")
        verbose_name_plural = _("compensation rules")
        ordering = ["failure_type", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="recovery_rule_amount_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["failure_type", "is_active"], name="recovery_rule_type")]

    def __str__(self) -> str:
        return f"{self.get_failure_type_display()}: {self.get_kind_display()}"

    @property
    def specificity(self) -> int:
        return (2 if self.tier else 0) + (1 if self.severity_band else 0)


class ApprovalLimit(models.Model):
    """The largest amount a role may grant without approval, in the case's currency.

    No row for a role: it may grant nothing. A blank amount: no limit.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, unique=True)
    amount = models.DecimalField(
        _("up to"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Blank: no limit."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("approval limit")
        verbose_name_plural = _("approval limits")
        ordering = ["amount", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="recovery_limit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.amount if self.amount is not None else '∞'}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class CompensationApprovalQuerySet(models.QuerySet["CompensationApproval"]):
    def visible_to(self, user) -> "CompensationApprovalQuerySet":
        """Staff see requests (agents their own, to follow them); supervisors decide them."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if getattr(user, "is_supervisor", False):
            return self
        if getattr(user, "is_agent", False):
            return self.filter(requested_by=user)
        return self.none()


class CompensationApproval(models.Model):
    """An agent's request to grant more than their role's limit, and a supervisor's answer."""

    case = models.ForeignKey(
        "recovery.RecoveryCase",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("remedy"), max_length=16, choices=CompensationKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = CompensationApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("compensation approval")
        verbose_name_plural = _("compensation approvals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="recovery_approval_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="recovery_approval_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False),
                name="recovery_approval_decided_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="recovery_approval_inbox")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on case {self.case_id} ({self.status})"


class TeamBudget(models.Model):
    """What a team may spend on compensation in a month (in one currency)."""

    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("budget"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Charged by `compensation_issue` under this row's lock, once per issue.
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("team budget")
        verbose_name_plural = _("team budgets")
        ordering = ["-month", "team_id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="recovery_budget_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="recovery_budget_first_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="recovery_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}: {self.amount} {self.currency}"


class CompensationIssue(models.Model):
    """Compensation actually granted on a case: the record billing and vouchers follow.

    One per approval on a case, and one without an approval (within the issuer's own
    limit) per case: a double click or a retried request cannot issue twice.
    """

    case = models.ForeignKey(
        "recovery.RecoveryCase",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    approval = models.ForeignKey(
        CompensationApproval,
        verbose_name=_("approval"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    kind = models.CharField(_("remedy"), max_length=16, choices=CompensationKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("charged to team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Vouchers only: single use, unguessable, expiring.
    voucher_code = models.CharField(_("voucher code"), max_length=64, blank=True)
    voucher_expires_at = models.DateTimeField(_("voucher expires"), null=True, blank=True)
    voucher_redeemed_at = models.DateTimeField(_("voucher redeemed"), null=True, blank=True)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("compensation issued")
        verbose_name_plural = _("compensation issued")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "approval"], name="recovery_issue_once_per_approval"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(approval__isnull=True),
                name="recovery_issue_once_without_approval",
            ),
            models.UniqueConstraint(
                fields=["voucher_code"],
                condition=~Q(voucher_code=""),
                name="recovery_issue_voucher_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="recovery_issue_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"
