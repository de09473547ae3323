"""Survey pages: answering from an emailed (or portal) link without logging in,
and a customer's open surveys. Views parse and call a selector or a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.errors import ApplicationError, NotFound
from surveys import links, selectors, services, timing
from surveys.forms import AnswerForm
from surveys.models import Survey


def _language(survey: Survey) -> str:
    """Survey pages speak the customer's language, whoever opens the link."""
    return survey.customer.language or settings.LANGUAGE_CODE


def _link_problem(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """A friendly page for a bad (400), unknown (404) or closed (410) survey link."""
    if isinstance(error, services.SurveyClosed | links.LinkExpired):
        status, title = 410, _("This survey has closed")
        message = _(
            "Thank you for wanting to tell us how we did. Surveys can be answered for "
            "%(days)d days after we send them, and this one can no longer be answered."
        ) % {"days": settings.SURVEY_EXPIRY_DAYS}
    elif isinstance(error, NotFound):
        status, title, message = 404, _("Survey not found"), error.message
    else:
        status, title = 400, _("This link does not work")
        message = _(
            "This survey link is not valid. It may have been cut short: please open it "
            "again from the email, or copy the whole address."
        )
    response = render(
        request, "surveys/link_problem.html", {"title": title, "message": message}, status=status
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _render_answer(
    request: HttpRequest, survey: Survey, form: AnswerForm, *, wording, status: int = 200
) -> HttpResponse:
    low, high = survey.score_range
    response = render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "ticket": survey.ticket,
            "answer": getattr(survey, "response", None),
            "wording": wording,
            "form": form,
            "low": low,
            "high": high,
            "time_zone": timing.zone_of(survey.customer),
        },
        status=status,
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, link_token: str) -> HttpResponse:
    """The answer page: the score and a comment, to give or to change until the survey expires."""
    try:
        survey = selectors.survey_get_by_link(link_token=link_token)
    except ApplicationError as error:
        return _link_problem(request, error)
    language = _language(survey)
    with translation.override(language):
        wording = selectors.survey_question_get(kind=survey.kind, language=language)
        answer = getattr(survey, "response", None)
        if request.method != "POST":
            form = AnswerForm(
                survey=survey,
                comment_label=wording.comment_label,
                initial={"score": answer.score, "comment": answer.comment} if answer else None,
            )
            return _render_answer(request, survey, form, wording=wording)
        form = AnswerForm(request.POST, survey=survey, comment_label=wording.comment_label)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return _render_answer(request, survey, form, wording=wording, status=400)
        try:
            services.survey_answer(
                survey=survey,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except services.SurveyClosed as error:
            return _link_problem(request, error)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            messages.error(request, _("Please correct the errors below."))
            return _render_answer(request, survey, form, wording=wording, status=error.status_code)
        if answer is None:
            messages.success(request, _("Thank you! Your answer is saved."))
        else:
            messages.success(request, _("Thank you! Your answer is updated."))
    return redirect("surveys:answer", link_token=link_token)


@never_cache
@require_GET
def survey_rate(request: HttpRequest, link_token: str, score: int) -> HttpResponse:
    """A one-click rating from the email: records the score, then offers the comment box.

    GET only (HEAD, as sent by link previewers, is refused): clicking again
    with another score changes it; a comment already given is kept.
    """
    try:
        survey = selectors.survey_get_by_link(link_token=link_token)
    except ApplicationError as error:
        return _link_problem(request, error)
    language = _language(survey)
    with translation.override(language):
        try:
            services.survey_answer(survey=survey, score=score)
        except services.SurveyClosed as error:
            return _link_problem(request, error)
        except ApplicationError as error:
            wording = selectors.survey_question_get(kind=survey.kind, language=language)
            form = AnswerForm(survey=survey, comment_label=wording.comment_label)
            messages.error(request, error.message)
            return _render_answer(request, survey, form, wording=wording, status=error.status_code)
        messages.success(
            request,
            _(
                "Thank you! We have your score of %(score)d. You can add a comment or change it below."
            )
            % {"score": score},
        )
    return redirect("surveys:answer", link_token=link_token)


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """The logged-in customer's surveys still open, each linked to its answer page."""
    surveys = list(selectors.survey_open_list_for(user=request.user))
    rows = [{"survey": survey, "url": links.survey_answer_path(survey)} for survey in surveys]
    return render(request, "surveys/list.html", {"rows": rows})
