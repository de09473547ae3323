"""The chat line form (the websocket sends the same field; the service checks it)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ChatLineForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
