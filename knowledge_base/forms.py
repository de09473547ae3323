from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from knowledge_base.selectors import MAX_QUERY_LENGTH


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("Any language")), *settings.LANGUAGES]


class SearchForm(forms.Form):
    """Checks the shape of a search; bad values read as "no filter", never an error page."""

    q = forms.CharField(
        label=_("Search the knowledge base"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("For example: reset password")}
        ),
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_language_choices)

    def cleaned_query(self) -> tuple[str, str | None]:
        if not self.is_bound:
            return "", None
        q = self.data.get("q", "")
        q = q.strip()[:MAX_QUERY_LENGTH] if isinstance(q, str) else ""
        language = self.cleaned_data.get("language") if self.is_valid() else None
        return q.replace("\x00", ""), language or None


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label=_("What could be better? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
