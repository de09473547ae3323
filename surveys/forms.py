"""The answer form: the shape of an answer. The score range and the rules are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Survey
from surveys.services import MAX_COMMENT


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your score"), coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, survey: Survey, comment_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        low, high = survey.score_range
        self.fields["score"].choices = [(score, str(score)) for score in range(low, high + 1)]
        if comment_label:
            self.fields["comment"].label = comment_label
        self.fields["comment"].help_text = _("Optional.")
