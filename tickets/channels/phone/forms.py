"""The call form: shape only; `services.call_log` enforces the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.channels.phone.services import MAX_DURATION_MINUTES, Direction
from tickets.models import Ticket


class CallForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=MAX_DURATION_MINUTES, initial=5
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was said and agreed. Staff only: the customer is not emailed."),
    )


NEW_TICKET = "new"


class CustomerCallForm(CallForm):
    """From the customer's page: onto one of their tickets, or as a new one."""

    ticket = forms.ChoiceField(label=_("Log it on"))
    subject = forms.CharField(
        label=_("Subject of the new ticket"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["ticket", "subject", "direction", "duration_minutes", "summary"]

    def __init__(self, *args, tickets: list[Ticket], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ticket"].choices = [(NEW_TICKET, _("A new ticket"))] + [
            (str(ticket.pk), f"{ticket.reference} {ticket.subject}") for ticket in tickets
        ]
        self.fields["summary"].help_text = _(
            "What was said and agreed. On a new ticket this is its first message."
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("ticket") == NEW_TICKET and not (data.get("subject") or "").strip():
            self.add_error("subject", _("A new ticket needs a subject."))
        return data
