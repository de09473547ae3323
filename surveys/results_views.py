"""Survey results for team leads and managers: rates and scores per week, team,
agent, channel or category, with the comments behind them."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from surveys import selectors
from surveys.models import SurveyKind

GROUPING_LABELS = {
    "week": _("Week"),
    "team": _("Team"),
    "agent": _("Agent"),
    "channel": _("Channel"),
    "category": _("Category"),
}


class ResultsFilterForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Split by"), choices=list(GROUPING_LABELS.items()), required=False, initial="week"
    )
    kind = forms.ChoiceField(
        label=_("Survey"), choices=[("", _("All kinds")), *SurveyKind.choices], required=False
    )
    since = forms.DateField(
        label=_("Sent from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Sent until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    if not request.user.is_supervisor:
        raise Http404
    form = ResultsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    since = _day_start(data["since"]) if data.get("since") else timezone.now() - timedelta(days=84)
    until = _day_start(data["until"] + timedelta(days=1)) if data.get("until") else None
    by = data.get("by") or "week"
    kind = data.get("kind") or None
    outcome = selectors.survey_results_for(
        user=request.user, by=by, since=since, until=until, kind=kind
    )
    comments = selectors.survey_comment_list_for(
        user=request.user, since=since, until=until, kind=kind
    )
    page = Paginator(comments, 20).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "results": outcome,
        "grouping": GROUPING_LABELS[by],
        "comments": page,
        "since": since,
    }
    return render(request, "surveys/results.html", context)
