"""The optional language-model rewrite: used when configured and sound, the composer's
draft otherwise. Only the HTTP edge (`urlopen`) is replaced; nothing goes on the network."""

import io
import json
from unittest import mock

import pytest

from recovery import services
from recovery.models import RecoveryCase
from tests.recovery.conftest import file_ticket

pytestmark = pytest.mark.django_db

URLOPEN = "recovery.apology.llm.urllib.request.urlopen"


@pytest.fixture
def llm_on(settings):
    settings.RECOVERY_LLM_URL = "http://llm.test"
    settings.RECOVERY_LLM_TIMEOUT = 2


def answer(text: str):
    body = json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]})
    return mock.MagicMock(
        __enter__=lambda self: io.BytesIO(body.encode()), __exit__=lambda *a: False
    )


def open_case(agent, customer):
    ticket = file_ticket(customer)
    return services.case_open(
        actor=agent,
        ticket=ticket,
        failure_type="late_delivery",
        facts={"order_number": "Q-9", "days_late": 3},
    ).case


def rewrite_of(case: RecoveryCase, name: str) -> str:
    numbers = [
        t for t in case.apology_body.replace(",", " ").split() if any(c.isdigit() for c in t)
    ]
    return f"{name}, here is a warmer note. " + " ".join(numbers)


def test_without_a_url_the_composer_drafts_and_no_request_is_made(agent, customer, on_commit):
    with mock.patch(URLOPEN) as urlopen, on_commit():
        case = open_case(agent, customer)

    urlopen.assert_not_called()
    assert "Q-9" in case.apology_body


def test_a_sound_rewrite_replaces_the_draft(llm_on, agent, customer, on_commit):
    with mock.patch(URLOPEN, side_effect=AssertionError("not yet")):
        case = open_case(agent, customer)  # commit callbacks held: no request yet
    text = rewrite_of(case, customer.first_name)

    with mock.patch(URLOPEN, return_value=answer(text)) as urlopen:
        assert services.case_apology_polish(case_id=case.pk) is True

    request = urlopen.call_args.args[0]
    assert request.full_url == "http://llm.test/v1/chat/completions"
    assert urlopen.call_args.kwargs["timeout"] == 2
    case.refresh_from_db()
    assert case.apology_body == text
    assert case.events.filter(type="case.apology_drafted", data__engine="llm").exists()


@pytest.mark.parametrize(
    "failure",
    [TimeoutError("slow"), OSError("refused"), ValueError("bad json")],
    ids=["timeout", "refused", "garbage"],
)
def test_any_error_keeps_the_composed_draft(llm_on, agent, customer, failure):
    case = open_case(agent, customer)
    drafted = case.apology_body

    with mock.patch(URLOPEN, side_effect=failure):
        assert services.case_apology_polish(case_id=case.pk) is False

    case.refresh_from_db()
    assert case.apology_body == drafted


def test_a_rewrite_that_drops_facts_or_reads_canned_is_refused(llm_on, agent, customer):
    case = open_case(agent, customer)
    drafted = case.apology_body

    for text in (
        f"{customer.first_name}, sorry.",  # the order and days are gone
        rewrite_of(case, customer.first_name) + " We apologise for any inconvenience.",
    ):
        with mock.patch(URLOPEN, return_value=answer(text)):
            assert services.case_apology_polish(case_id=case.pk) is False

    case.refresh_from_db()
    assert case.apology_body == drafted


def test_an_agents_edit_is_never_overwritten(llm_on, agent, customer):
    case = open_case(agent, customer)
    services.case_update(actor=agent, case=case, apology_body="Mine")

    with mock.patch(URLOPEN) as urlopen:
        assert services.case_apology_polish(case_id=case.pk) is False

    urlopen.assert_not_called()


def test_the_rewrite_is_asked_for_after_commit(llm_on, agent, customer, on_commit):
    with mock.patch(URLOPEN, side_effect=OSError("down")) as urlopen, on_commit():
        case = open_case(agent, customer)

    assert urlopen.call_count >= 1
    case.refresh_from_db()
    assert "Q-9" in case.apology_body
