"""Every read of surveys, already scoped: customers see only their own surveys
and answers, staff see all, anyone else none."""

from typing import Any

from django.db.models import QuerySet

from helpdesk.errors import NotFound
from surveys.models import Survey, SurveyResponse


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
