"""The wording of each survey kind per language: shipped in English and Spanish,
edited by staff in the admin site."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from surveys import selectors
from surveys.models import SurveyQuestion
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_questions")]


def test_english_and_spanish_wording_ship_for_every_kind():
    shipped = set(SurveyQuestion.objects.values_list("kind", "language"))

    assert shipped == {
        (kind, language) for kind in ("csat", "nps", "effort") for language in ("en", "es")
    }
    assert SurveyQuestion.objects.get(kind="nps", language="es").question == (
        "¿Qué probabilidad hay de que nos recomiendes a un amigo o colega?"
    )


def test_shipping_the_wording_again_keeps_what_staff_changed():
    SurveyQuestion.objects.filter(kind="csat", language="en").update(question="Edited.")

    importlib.import_module("surveys.migrations.0003_default_questions").add_defaults(apps, None)

    assert SurveyQuestion.objects.count() == 6
    assert SurveyQuestion.objects.get(kind="csat", language="en").question == "Edited."


def test_without_any_row_the_built_in_wording_is_used():
    SurveyQuestion.objects.all().delete()

    wording = selectors.survey_question_get(kind="effort", language="es")

    assert wording.pk is None
    assert wording.question == "How easy was it to get your issue resolved?"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(factories.UserFactory(role="admin", is_staff=True, is_superuser=True))
    return client


def test_staff_edit_the_wording_in_the_admin(admin_client):
    question = SurveyQuestion.objects.get(kind="csat", language="es")

    listing = admin_client.get("/admin/surveys/surveyquestion/")
    response = admin_client.post(
        f"/admin/surveys/surveyquestion/{question.pk}/change/",
        {
            "kind": "csat",
            "language": "es",
            "question": "¿Le ayudamos bien?",
            "intro": "",
            "low_label": "Nada",
            "high_label": "Mucho",
            "comment_label": "Cuéntenos más",
        },
    )

    assert listing.status_code == 200
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.question == "¿Le ayudamos bien?"


def test_the_admin_refuses_a_second_wording_for_the_same_kind_and_language(admin_client):
    response = admin_client.post(
        "/admin/surveys/surveyquestion/add/",
        {"kind": "nps", "language": "en", "question": "Again?"},
    )

    assert response.status_code == 200  # the form again, with the error
    assert SurveyQuestion.objects.filter(kind="nps", language="en").count() == 1


def test_the_survey_admin_pages_open(admin_client, sent_survey):
    assert admin_client.get("/admin/surveys/survey/").status_code == 200
    assert admin_client.get(f"/admin/surveys/survey/{sent_survey.pk}/change/").status_code == 200
