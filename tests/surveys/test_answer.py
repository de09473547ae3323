"""Answering a survey: through the API, and the rules the service and the
database enforce."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk.errors import ApplicationError, Conflict
from surveys import services
from surveys.models import Survey, SurveyResponse, SurveyStatus
from tests import factories
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def answer_url(survey) -> str:
    return f"/api/v1/surveys/{survey.pk}/answer/"


def test_a_customer_answers_their_survey(customer, sent_survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_as(customer).post(
            answer_url(sent_survey), {"score": 4, "comment": " Good. "}, format="json"
        )

    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    assert response.json()["response"]["score"] == 4
    assert response.json()["response"]["comment"] == "Good."
    assert len(callbacks) == 1
    sent_survey.refresh_from_db()
    assert sent_survey.status == SurveyStatus.ANSWERED


def test_answering_again_changes_the_answer(customer, sent_survey):
    client = api_as(customer)
    client.post(answer_url(sent_survey), {"score": 2}, format="json")

    response = client.post(answer_url(sent_survey), {"score": 5}, format="json")

    assert response.status_code == 200
    assert SurveyResponse.objects.get(survey=sent_survey).score == 5


@pytest.mark.parametrize("score", [0, 6, -1, "five", None, 4.5, True])
def test_it_refuses_a_csat_score_outside_one_to_five(customer, sent_survey, score):
    response = api_as(customer).post(answer_url(sent_survey), {"score": score}, format="json")

    assert response.status_code == 400
    assert "score" in response.json()
    assert not SurveyResponse.objects.exists()


def test_another_customer_cannot_see_or_answer_it(other_customer, sent_survey):
    client = api_as(other_customer)

    assert client.get(f"/api/v1/surveys/{sent_survey.pk}/").status_code == 404
    assert client.post(answer_url(sent_survey), {"score": 5}, format="json").status_code == 404
    assert not SurveyResponse.objects.exists()


def test_staff_see_the_survey_but_cannot_answer_for_the_customer(agent, sent_survey):
    client = api_as(agent)

    assert client.get(f"/api/v1/surveys/{sent_survey.pk}/").status_code == 200
    assert client.post(answer_url(sent_survey), {"score": 5}, format="json").status_code == 403


def test_a_customer_lists_only_their_surveys(customer, other_customer, sent_survey):
    theirs = services.survey_create(ticket=factories.TicketFactory(requester=other_customer))

    mine = api_as(customer).get("/api/v1/surveys/").json()["results"]
    theirs_seen = api_as(other_customer).get("/api/v1/surveys/").json()["results"]

    assert [s["id"] for s in mine] == [sent_survey.pk]
    assert mine[0]["score_min"] == 1
    assert mine[0]["score_max"] == 5
    assert mine[0]["response"] is None
    assert [s["id"] for s in theirs_seen] == [theirs.pk]


def test_an_expired_survey_cannot_be_answered(customer, sent_survey):
    Survey.objects.filter(pk=sent_survey.pk).update(
        sent_at=timezone.now() - timedelta(days=15), expires_at=timezone.now() - timedelta(days=1)
    )

    response = api_as(customer).post(answer_url(sent_survey), {"score": 5}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This survey has expired."}


def test_a_survey_not_yet_sent_cannot_be_answered(customer):
    survey = services.survey_create(ticket=factories.TicketFactory(requester=customer))

    with pytest.raises(Conflict):
        services.survey_answer(survey=survey, score=5, actor=customer)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [("csat", [1, 5], [0, 6]), ("nps", [0, 10], [-1, 11]), ("effort", [1, 7], [0, 8])],
)
def test_it_checks_the_score_range_of_each_kind(customer, kind, good, bad):
    for score in bad:
        survey = _sent(customer, kind)
        with pytest.raises(ApplicationError) as error:
            services.survey_answer(survey=survey, score=score, actor=customer)
        assert error.value.field == "score"
    for score in good:
        survey = _sent(customer, kind)
        assert services.survey_answer(survey=survey, score=score, actor=customer).score == score


@pytest.mark.parametrize(("kind", "score"), [("csat", 0), ("nps", 11), ("effort", 8)])
def test_the_database_refuses_an_out_of_range_score(customer, kind, score):
    survey = _sent(customer, kind)

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, kind=kind, score=score)


def test_it_refuses_an_overlong_comment(customer, sent_survey):
    with pytest.raises(ApplicationError) as error:
        services.survey_answer(survey=sent_survey, score=3, comment="x" * 5001, actor=customer)

    assert error.value.field == "comment"


def _sent(customer, kind):
    survey = services.survey_create(ticket=factories.TicketFactory(requester=customer), kind=kind)
    return services.survey_mark_sent(survey=survey)
