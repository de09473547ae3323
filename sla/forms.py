from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Tier
from sla.models import BusinessCalendar, ClosedDate, OpeningSpan, Policy, PolicyTarget
from tickets.models import Category, Channel, Priority


class PolicyForm(forms.ModelForm):
    match_priorities = forms.MultipleChoiceField(
        label=_("Priorities"),
        choices=Priority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    match_tiers = forms.MultipleChoiceField(
        label=_("Customer tiers"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    match_channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    match_categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Policy
        fields = [
            "name",
            "position",
            "is_active",
            "is_default",
            "calendar",
            "match_priorities",
            "match_tiers",
            "match_channels",
            "match_categories",
            "match_organisation",
            "pause_on_hold",
            "warning_percent",
            "escalate_priority",
            "escalate_team",
        ]


PolicyTargetFormSet = inlineformset_factory(
    Policy,
    PolicyTarget,
    fields=["priority", "first_reply_minutes", "next_reply_minutes", "resolution_minutes"],
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=len(Priority.values),
    can_delete=True,
)


class CalendarForm(forms.ModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ["name", "time_zone", "always_open", "holiday_country", "holiday_subdivision"]


OpeningSpanFormSet = inlineformset_factory(
    BusinessCalendar,
    OpeningSpan,
    fields=["weekday", "opens", "closes"],
    widgets={
        "opens": forms.TimeInput(attrs={"type": "time"}),
        "closes": forms.TimeInput(attrs={"type": "time"}),
    },
    extra=1,
    can_delete=True,
)

ClosedDateFormSet = inlineformset_factory(
    BusinessCalendar,
    ClosedDate,
    fields=["date", "reason"],
    widgets={"date": forms.DateInput(attrs={"type": "date"})},
    extra=1,
    can_delete=True,
)
