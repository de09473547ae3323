"""Every read of surveys, already scoped: customers see only their own surveys
and answers, staff see all, anyone else none. A signed link stands in for a
login on the answer page. Results are aggregated by the database."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import ApplicationError, NotFound, PermissionDenied
from surveys import links
from surveys.models import (
    LOW_SCORE_MAX,
    Survey,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from tickets.models import Category, Channel


def _is_staff(user: Any) -> bool:
    return bool(user.is_agent)


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def survey_list_for(*, user: Any) -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("ticket", "customer", "response")
    if not _is_active(user):
        return surveys.none()
    if _is_staff(user):
        return surveys
    return surveys.filter(customer=user)


def survey_get_for(*, user: Any, survey_id: Any) -> Survey:
    try:
        pk = int(survey_id)
    except (TypeError, ValueError):
        raise NotFound("No such survey.") from None
    survey = survey_list_for(user=user).filter(pk=pk).first()
    if survey is None:
        raise NotFound("No such survey.")
    return survey


def survey_open_list_for(*, user: Any) -> QuerySet[Survey]:
    """The customer's surveys they may still answer or change, newest first (for the portal)."""
    if not _is_active(user) or _is_staff(user):
        return Survey.objects.none()
    return (
        Survey.objects.filter(
            customer=user,
            status__in=(SurveyStatus.SENT, SurveyStatus.ANSWERED),
            expires_at__gt=timezone.now(),
        )
        .select_related("ticket", "response")
        .order_by("-sent_at", "-id")
    )


def survey_get_by_link(*, link_token: str) -> Survey:
    """The survey a signed link opens, with its ticket, customer and answer loaded.

    Raises InvalidLink (400) for a link we did not make, LinkExpired (410) for
    an old link or a closed survey, NotFound (404) for a survey that is gone
    or was never sent.
    """
    raw = links.survey_token_unsign(link_token)
    survey = (
        Survey.objects.select_related("ticket", "customer", "response").filter(token=raw).first()
    )
    if survey is None or survey.status == SurveyStatus.SCHEDULED:
        raise NotFound(_("There is no such survey."))
    if survey.status == SurveyStatus.CANCELLED or survey.is_expired():
        raise links.LinkExpired(_("This survey has closed."))
    return survey


def survey_response_list_for(*, user: Any) -> QuerySet[SurveyResponse]:
    """Answers the user may see, newest first, with survey, ticket and customer loaded."""
    responses = SurveyResponse.objects.select_related(
        "survey", "survey__ticket", "survey__customer"
    ).order_by("-answered_at", "-id")
    if not _is_active(user):
        return responses.none()
    if _is_staff(user):
        return responses
    return responses.filter(survey__customer=user)


# --- wording ------------------------------------------------------------------------------


def _builtin_wording(kind: str, language: str) -> SurveyQuestion:
    """Used only when the admin deleted both the language's row and the English one."""
    texts = {
        SurveyKind.CSAT: (
            _("How satisfied are you with the help you received?"),
            _("Very dissatisfied"),
            _("Very satisfied"),
            _("Anything you would like to add?"),
        ),
        SurveyKind.NPS: (
            _("How likely are you to recommend us to a friend or colleague?"),
            _("Not at all likely"),
            _("Extremely likely"),
            _("What is the main reason for your score?"),
        ),
        SurveyKind.EFFORT: (
            _("How easy was it to get your issue resolved?"),
            _("Very difficult"),
            _("Very easy"),
            _("What could we have made easier?"),
        ),
    }
    question, low, high, comment = texts[kind]
    return SurveyQuestion(
        kind=kind,
        language=language,
        question=question,
        low_label=low,
        high_label=high,
        comment_label=comment,
    )


def survey_question_get(*, kind: str, language: str) -> SurveyQuestion:
    """How `kind` is worded in `language`: its row, else the default language's, else built in.

    Precondition for the built-in fallback: `language` is active (translation.override).
    """
    rows = {
        row.language: row
        for row in SurveyQuestion.objects.filter(
            kind=kind, language__in={language, settings.LANGUAGE_CODE}
        )
    }
    return (
        rows.get(language) or rows.get(settings.LANGUAGE_CODE) or _builtin_wording(kind, language)
    )


# --- results ------------------------------------------------------------------------------

GROUPINGS = ("week", "team", "agent", "channel", "category")


@dataclass(frozen=True)
class SurveyResultRow:
    """One group's numbers. Percentages are None when nothing was there to count."""

    key: Any
    label: str
    sent: int
    answered: int
    comments: int
    csat_answers: int
    csat_satisfied: int
    nps_answers: int
    promoters: int
    detractors: int
    effort_answers: int
    effort_average: float | None

    @property
    def response_rate(self) -> float | None:
        return _percent(self.answered, self.sent)

    @property
    def csat_percent(self) -> float | None:
        """Share of CSAT answers that are 4 or 5."""
        return _percent(self.csat_satisfied, self.csat_answers)

    @property
    def nps(self) -> float | None:
        """Promoters (9-10) minus detractors (0-6), in per cent of NPS answers: -100 to 100."""
        if not self.nps_answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers, 1)


@dataclass(frozen=True)
class SurveyResults:
    by: str | None
    since: datetime | None
    until: datetime | None
    total: SurveyResultRow
    rows: list[SurveyResultRow]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _metrics() -> dict:
    return {
        "sent": Count("pk"),
        "answered": Count("response"),
        "comments": Count("response", filter=Q(response__comment__gt="")),
        "csat_answers": Count("response", filter=Q(response__kind=SurveyKind.CSAT)),
        "csat_satisfied": Count(
            "response", filter=Q(response__kind=SurveyKind.CSAT, response__score__gte=4)
        ),
        "nps_answers": Count("response", filter=Q(response__kind=SurveyKind.NPS)),
        "promoters": Count(
            "response", filter=Q(response__kind=SurveyKind.NPS, response__score__gte=9)
        ),
        "detractors": Count(
            "response", filter=Q(response__kind=SurveyKind.NPS, response__score__lte=6)
        ),
        "effort_answers": Count("response", filter=Q(response__kind=SurveyKind.EFFORT)),
        "effort_average": Avg("response__score", filter=Q(response__kind=SurveyKind.EFFORT)),
    }


def _row(values: dict, key: Any, label: str) -> SurveyResultRow:
    average = values["effort_average"]
    return SurveyResultRow(
        key=key,
        label=label,
        sent=values["sent"],
        answered=values["answered"],
        comments=values["comments"],
        csat_answers=values["csat_answers"],
        csat_satisfied=values["csat_satisfied"],
        nps_answers=values["nps_answers"],
        promoters=values["promoters"],
        detractors=values["detractors"],
        effort_answers=values["effort_answers"],
        effort_average=round(float(average), 2) if average is not None else None,
    )


def _week_label(start: Any) -> str:
    day = start.date() if isinstance(start, datetime) else start
    if not isinstance(day, date):
        return _("Unknown")
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


def _label(by: str, values: dict) -> str:
    key = values["key"]
    if by == "week":
        return _week_label(key)
    if key is None:
        return {"team": _("No team"), "agent": _("Unassigned")}.get(by, _("Unknown"))
    if by == "team":
        return values["name"]
    if by == "agent":
        return values["name"] or values["email"]
    choices = Channel if by == "channel" else Category
    try:
        return str(choices(key).label)
    except ValueError:
        return str(key)


def _grouped(surveys: QuerySet[Survey], by: str) -> QuerySet:
    if by == "week":
        return surveys.annotate(key=TruncWeek("sent_at")).values("key")
    if by == "team":
        return surveys.annotate(key=F("ticket__team_id"), name=F("ticket__team__name")).values(
            "key", "name"
        )
    if by == "agent":
        return surveys.annotate(
            key=F("ticket__assignee_id"),
            name=F("ticket__assignee__full_name"),
            email=F("ticket__assignee__email"),
        ).values("key", "name", "email")
    return surveys.annotate(key=F(f"ticket__{by}")).values("key")


def survey_results_for(
    *,
    user: Any,
    by: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: str | None = None,
) -> SurveyResults:
    """Response rate, CSAT %, NPS and average effort of the surveys sent in [since, until).

    `by` splits them per ISO week (of sending, in the site's time zone), team,
    agent (the ticket's assignee), channel or category; `total` covers them
    all. One aggregate query for the total and one for the groups, however
    many surveys there are. Staff only.
    """
    if not _is_active(user) or not _is_staff(user):
        raise PermissionDenied(_("Only support staff may see survey results."))
    if by is not None and by not in GROUPINGS:
        raise ApplicationError(_("“%(value)s” is not a grouping.") % {"value": by}, field="by")
    if kind is not None and kind not in SurveyKind.values:
        raise ApplicationError(
            _("“%(value)s” is not a survey kind.") % {"value": kind}, field="kind"
        )
    surveys = Survey.objects.filter(sent_at__isnull=False)
    if since is not None:
        surveys = surveys.filter(sent_at__gte=since)
    if until is not None:
        surveys = surveys.filter(sent_at__lt=until)
    if kind is not None:
        surveys = surveys.filter(kind=kind)

    total = _row(surveys.aggregate(**_metrics()), None, _("All"))
    rows: list[SurveyResultRow] = []
    if by is not None:
        grouped = _grouped(surveys.order_by(), by).annotate(**_metrics()).order_by("key")
        rows = [_row(values, values["key"], _label(by, values)) for values in grouped]
        if by != "week":
            rows.sort(key=lambda row: (row.key is None, row.label.lower()))
    return SurveyResults(by=by, since=since, until=until, total=total, rows=rows)


def survey_comment_list_for(
    *,
    user: Any,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: str | None = None,
    team_id: int | None = None,
    assignee_id: int | None = None,
    channel: str | None = None,
    category: str | None = None,
    low_only: bool = False,
) -> QuerySet[SurveyResponse]:
    """Answers with a comment, newest first, narrowed like one row of the results. Staff only."""
    if not _is_active(user) or not _is_staff(user):
        raise PermissionDenied(_("Only support staff may see survey results."))
    responses = (
        SurveyResponse.objects.exclude(comment="")
        .select_related("survey__ticket__team", "survey__ticket__assignee", "survey__customer")
        .order_by("-answered_at", "-id")
    )
    filters = {
        "survey__sent_at__gte": since,
        "survey__sent_at__lt": until,
        "kind": kind,
        "survey__ticket__team_id": team_id,
        "survey__ticket__assignee_id": assignee_id,
        "survey__ticket__channel": channel,
        "survey__ticket__category": category,
    }
    responses = responses.filter(
        **{name: value for name, value in filters.items() if value is not None}
    )
    if low_only:
        low = Q()
        for low_kind, highest in LOW_SCORE_MAX.items():
            low |= Q(kind=low_kind, score__lte=highest)
        responses = responses.filter(low)
    return responses
