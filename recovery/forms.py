"""Forms check the shape of input; `recovery.services` enforces the rules."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Tier, User
from recovery.facts import FACT_LABELS, MAX_DAYS, MAX_HOURS, TEXT_FACTS
from recovery.models import (
    CompensationKind,
    DetectorSettings,
    FailureType,
    Playbook,
    PlaybookStep,
    RootCause,
)


class CaseOpenForm(forms.Form):
    """An agent opens a case by hand: the failure type and what they know (all optional).

    Prefixed: it sits on the agent ticket page next to the ticket's own forms.
    """

    prefix = "recovery"

    failure_type = forms.ChoiceField(label=_("Failure type"), choices=FailureType.choices)
    description = forms.CharField(
        label=FACT_LABELS["description"],
        required=False,
        max_length=TEXT_FACTS["description"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    order_number = forms.CharField(
        label=FACT_LABELS["order_number"], required=False, max_length=TEXT_FACTS["order_number"]
    )
    product = forms.CharField(
        label=FACT_LABELS["product"], required=False, max_length=TEXT_FACTS["product"]
    )
    amount = forms.DecimalField(
        label=FACT_LABELS["amount"],
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    currency = forms.CharField(
        label=FACT_LABELS["currency"], required=False, min_length=3, max_length=3
    )
    days_late = forms.IntegerField(
        label=FACT_LABELS["days_late"], required=False, min_value=0, max_value=MAX_DAYS
    )
    hours_waited = forms.FloatField(
        label=FACT_LABELS["hours_waited"], required=False, min_value=0, max_value=MAX_HOURS
    )
    promised_hours = forms.FloatField(
        label=FACT_LABELS["promised_hours"], required=False, min_value=0, max_value=MAX_HOURS
    )
    agent_name = forms.CharField(
        label=FACT_LABELS["agent_name"], required=False, max_length=TEXT_FACTS["agent_name"]
    )

    FACT_FIELDS = (
        "description",
        "order_number",
        "product",
        "amount",
        "currency",
        "days_late",
        "hours_waited",
        "promised_hours",
        "agent_name",
    )

    def facts(self) -> dict:
        """The facts given, in the shape `recovery.facts.clean_facts` expects."""
        facts = {}
        for name in self.FACT_FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            facts[name] = str(value) if name == "amount" else value
        return facts


class ApologyForm(forms.Form):
    """The agent's edit of the drafted apology. Prefixed: it sits on the agent ticket page."""

    prefix = "apology"

    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Message to the customer"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class ApprovalRequestForm(forms.Form):
    """Compensation above the agent's limit, with the reason for it."""

    prefix = "approval"

    kind = forms.ChoiceField(label=_("Remedy"), choices=CompensationKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("decline", _("Decline"))]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepForm(forms.Form):
    """A tick box: present and "on" means done; absent means not done (an unticked box)."""

    done = forms.BooleanField(required=False)


class RootCauseForm(forms.Form):
    root_cause = forms.ModelChoiceField(
        label=_("Root cause"),
        queryset=RootCause.objects.none(),
        required=False,
        empty_label=_("Not known yet"),
    )
    note = forms.CharField(
        label=_("What caused it, and what would stop it happening again"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        causes = RootCause.objects.filter(is_active=True).select_related("category")
        self.fields["root_cause"].queryset = causes
        # Grouped by area in the select, in the reader's language.
        groups: dict[str, list] = {}
        for cause in causes:
            label = cause.category.get_key_display()
            groups.setdefault(label, []).append((cause.pk, cause.name))
        self.fields["root_cause"].choices = [("", _("Not known yet")), *groups.items()]


class CoachingNoteForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=User.objects.none(), empty_label=None)
    note = forms.CharField(
        label=_("Coaching note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = User.objects.filter(
            role__in=STAFF_ROLES, is_active=True
        ).order_by("full_name", "email")


class DetectorSettingsForm(forms.ModelForm):
    proactive_tiers = forms.MultipleChoiceField(
        label=_("Tiers caught before a breach"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=DetectorSettings._meta.get_field("proactive_tiers").help_text,
    )

    class Meta:
        model = DetectorSettings
        fields = [
            "sla_breach_enabled",
            "sla_warning_enabled",
            "proactive_tiers",
            "proactive_lifetime_value",
            "long_wait_enabled",
            "long_wait_hours",
            "handoffs_enabled",
            "max_handoffs",
            "reopened_enabled",
            "repeat_contact_enabled",
            "repeat_contact_days",
            "repeat_contact_similarity",
            "sentiment_enabled",
            "sentiment_threshold",
            "escalation_enabled",
            "low_csat_enabled",
            "csat_max_score",
            "nps_max_score",
            "failure_category_enabled",
        ]
        widgets = {
            "repeat_contact_similarity": forms.NumberInput(
                attrs={"step": "0.05", "min": "0.1", "max": "1"}
            ),
            "sentiment_threshold": forms.NumberInput(
                attrs={"step": "0.05", "min": "-1", "max": "0"}
            ),
        }

    def clean_proactive_lifetime_value(self):
        value = self.cleaned_data["proactive_lifetime_value"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("Cannot be negative."))
        return value

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlaybookForm(forms.ModelForm):
    class Meta:
        model = Playbook
        fields = ["situation", "name", "summary", "is_active"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


PlaybookStepFormSet = inlineformset_factory(
    Playbook,
    PlaybookStep,
    fields=["position", "kind", "title", "guidance"],
    widgets={"guidance": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=20,
    can_delete=True,
)

RootCauseFormSet = modelformset_factory(
    RootCause,
    fields=["category", "name", "position", "is_active"],
    extra=2,
    can_delete=False,  # causes on cases stay; switch them off instead
)
