"""The survey email and the answer pages it links to: one-click ratings, comments,
changing the answer, the customer's language, and friendly pages for bad links."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client

from surveys import links, services
from surveys.models import Survey, SurveyQuestion, SurveyResponse, SurveyStatus
from tests import factories
from tests.surveys.conftest import MONDAY_10, answer_link, rating_links, survey_mails

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("shipped_questions"),
]

SENT = MONDAY_10 + timedelta(hours=24)


def send(customer, *, kind="csat", subject="Printer on fire") -> tuple[Survey, object]:
    """A survey emailed at SENT through the dispatch; the survey and its email."""
    ticket = factories.TicketFactory(requester=customer, subject=subject, status="solved")
    survey = services.survey_create(ticket=ticket, kind=kind, scheduled_for=SENT)
    with time_machine.travel(SENT, tick=False):
        services.survey_send(survey_id=survey.pk)
    [message] = [m for m in survey_mails() if m.to == [customer.email]][-1:]
    survey.refresh_from_db()
    return survey, message


@pytest.fixture
def later():
    with time_machine.travel(SENT + timedelta(hours=2), tick=False) as traveller:
        yield traveller


# --- the email ------------------------------------------------------------------------------


def test_the_email_has_text_and_html_and_a_link_for_every_score(customer):
    survey, message = send(customer)

    assert message.subject == f"How did we do? [{survey.ticket.reference}]"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "How satisfied are you with the help you received?" in message.body
    assert sorted(rating_links(message)) == [1, 2, 3, 4, 5]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    for path in rating_links(message).values():
        assert f'href="http://testserver{path}"' in html
    assert "Printer on fire" in message.body
    assert "1: Very dissatisfied" in message.body


def test_an_nps_email_offers_zero_to_ten(customer):
    _survey, message = send(customer, kind="nps")

    assert sorted(rating_links(message)) == list(range(11))
    assert "recommend us" in message.body


def test_the_email_is_in_the_customers_language(customer):
    customer.language = "es"
    customer.save(update_fields=["language"])

    survey, message = send(customer)

    assert message.subject == f"¿Qué tal lo hicimos? [{survey.ticket.reference}]"
    assert "¿Qué grado de satisfacción tienes con la ayuda que recibiste?" in message.body
    assert "Hola" in message.body
    assert 'lang="es"' in message.alternatives[0][0]


def test_the_wording_is_what_staff_set_in_the_admin(customer):
    SurveyQuestion.objects.filter(kind="csat", language="en").update(
        question="Did we nail it?", intro="Be honest."
    )

    _survey, message = send(customer)

    assert "Did we nail it?" in message.body
    assert "Be honest." in message.body


def test_a_language_without_its_own_wording_reads_the_english_one(customer):
    SurveyQuestion.objects.filter(language="es").delete()
    customer.language = "es"
    customer.save(update_fields=["language"])

    _survey, message = send(customer)

    assert "How satisfied are you with the help you received?" in message.body


# --- answering --------------------------------------------------------------------------------


def test_one_click_records_the_score_and_offers_a_comment(customer, client, later):
    survey, message = send(customer)

    response = client.get(rating_links(message)[4], follow=True)

    assert response.status_code == 200
    assert SurveyResponse.objects.get(survey=survey).score == 4
    page = response.content.decode()
    assert "Thank you! We have your score of 4." in page
    assert re.search(r'<input type="radio" name="score" value="4"[^>]* checked', page)
    assert '<label for="id_comment">Anything you would like to add?</label>' in page
    assert 'name="viewport"' in page
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_the_customer_adds_a_comment_then_changes_the_answer(customer, client, later):
    survey, message = send(customer)
    client.get(rating_links(message)[2])
    page_url = answer_link(message)

    response = client.post(page_url, {"score": "2", "comment": "Slow, but fixed."})
    assert response.status_code == 302
    assert SurveyResponse.objects.get(survey=survey).comment == "Slow, but fixed."

    later.shift(timedelta(days=3))
    client.post(page_url, {"score": "4", "comment": "Actually, it works great now."})

    answer = SurveyResponse.objects.get(survey=survey)
    assert (answer.score, answer.comment) == (4, "Actually, it works great now.")
    assert answer.updated_at > answer.answered_at
    page = client.get(page_url).content.decode()
    assert "Actually, it works great now." in page
    assert "Save changes" in page


def test_a_second_click_changes_the_score_and_keeps_the_comment(customer, client, later):
    survey, message = send(customer)
    client.post(answer_link(message), {"score": "3", "comment": "Meh."})

    client.get(rating_links(message)[5])

    answer = SurveyResponse.objects.get(survey=survey)
    assert (answer.score, answer.comment) == (5, "Meh.")


def test_the_page_is_in_the_customers_language(customer, client, later):
    customer.language = "es"
    customer.save(update_fields=["language"])
    _survey, message = send(customer)

    response = client.get(rating_links(message)[5], follow=True)

    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "¿Qué tal lo hicimos?" in page
    assert "¿Quieres añadir algo?" in page
    assert "Guardar cambios" in page


def test_a_logged_in_agent_opening_the_link_still_sees_the_customers_survey(
    customer, agent, client, later
):
    client.force_login(agent)
    _survey, message = send(customer)

    response = client.get(answer_link(message))

    assert response.status_code == 200
    assert "How satisfied are you" in response.content.decode()


def test_an_invalid_score_is_refused_on_a_friendly_page(customer, client, later):
    survey, message = send(customer)
    token = answer_link(message).split("/")[2]

    by_link = client.get(f"/surveys/{token}/rate/9/")
    by_form = client.post(answer_link(message), {"score": "abc", "comment": "x"})
    too_long = client.post(answer_link(message), {"score": "3", "comment": "x" * 5001})

    for response in (by_link, by_form, too_long):
        assert response.status_code == 400
        assert "How did we do?" in response.content.decode()
    assert "The score must be between 1 and 5." in by_link.content.decode()
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_a_link_previewer_heading_the_link_records_nothing(customer, client, later):
    survey, message = send(customer)

    response = client.head(rating_links(message)[1])

    assert response.status_code == 405
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_the_answer_can_be_changed_until_the_survey_expires(customer, client):
    survey, message = send(customer)
    with time_machine.travel(survey.expires_at - timedelta(minutes=1), tick=False):
        assert client.get(rating_links(message)[3]).status_code == 302

    with time_machine.travel(survey.expires_at, tick=False):
        response = client.post(answer_link(message), {"score": "5", "comment": ""})

    assert response.status_code == 410
    assert "This survey has closed" in response.content.decode()
    assert SurveyResponse.objects.get(survey=survey).score == 3


# --- bad links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "x" + token,  # survey token changed
        lambda token: token.split(":")[0],  # signature cut off
        lambda token: "not-a-token",
        lambda token: "%00%ff..",
    ],
)
def test_a_tampered_link_gets_a_friendly_400(customer, client, later, mangle):
    survey, message = send(customer)
    token = answer_link(message).split("/")[2]

    for url in (f"/surveys/{mangle(token)}/", f"/surveys/{mangle(token)}/rate/1/"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "This link does not work" in response.content.decode()
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_a_link_signed_with_another_key_is_refused(customer, client, later, settings):
    survey, _message = send(customer)
    forged = signing.TimestampSigner(key="not-our-key", salt=links.SALT).sign(survey.token)

    assert client.get(f"/surveys/{forged}/rate/5/").status_code == 400
    assert not SurveyResponse.objects.exists()


def test_an_old_link_gets_a_friendly_410(customer, client):
    survey, message = send(customer)
    # Even with the survey kept open longer by hand, the link itself runs out.
    Survey.objects.filter(pk=survey.pk).update(expires_at=SENT + timedelta(days=60))

    with time_machine.travel(SENT + timedelta(days=14, seconds=1), tick=False):
        response = client.get(rating_links(message)[5])

    assert response.status_code == 410
    assert "This survey has closed" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_withdrawn_survey_gets_a_410(customer, client, later):
    survey, message = send(customer)
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CANCELLED)

    assert client.get(answer_link(message)).status_code == 410


def test_a_link_to_a_deleted_survey_gets_a_404(customer, client, later):
    survey, message = send(customer)
    survey.delete()

    response = client.get(answer_link(message))

    assert response.status_code == 404
    assert "Survey not found" in response.content.decode()


# --- from the portal ------------------------------------------------------------------------------


def test_a_customer_lists_their_open_surveys_with_links(customer, other_customer, later):
    mine, _message = send(customer, subject="Mine")
    send(other_customer, subject="Theirs")
    client = Client()
    client.force_login(customer)

    page = client.get("/surveys/").content.decode()

    assert "Mine" in page
    assert "Theirs" not in page
    [path] = re.findall(r'href="(/surveys/[^"/]+/)"', page)
    assert client.get(path).status_code == 200
    assert links.survey_answer_path(mine).startswith("/surveys/")


def test_the_survey_list_asks_anonymous_people_to_log_in(client):
    response = client.get("/surveys/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_the_survey_list_costs_the_same_for_2_or_20_surveys(
    customer, later, django_assert_num_queries
):
    client = Client()
    client.force_login(customer)

    def cost(count: int) -> int:
        while Survey.objects.filter(customer=customer).count() < count:
            send(customer)
        with django_assert_num_queries(3) as captured:
            # Session (1), user (1), the surveys with their tickets and answers (1).
            response = client.get("/surveys/")
        # One link per survey (the navigation's plain "/surveys/" link does not count).
        assert len(re.findall(r'href="/surveys/[^"]+"', response.content.decode())) == count
        return len(captured.captured_queries)

    assert cost(2) == cost(20) == 3
