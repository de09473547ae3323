"""The survey results page for leads and managers."""

import pytest

from tests.surveys.conftest import make_answered

pytestmark = pytest.mark.django_db


def test_only_leads_and_managers_see_results(client, agent, manager, customer):
    client.force_login(customer)
    assert client.get("/manager/surveys/").status_code == 404
    client.force_login(agent)
    assert client.get("/manager/surveys/").status_code == 404
    client.force_login(manager)
    assert client.get("/manager/surveys/").status_code == 200


def test_the_page_shows_rates_per_grouping_and_the_comments(client, manager, customer):
    make_answered(customer=customer, kind="csat", score=5, comment="Lovely, fast help")
    make_answered(customer=customer, kind="csat", score=2, comment="Far too slow")
    client.force_login(manager)

    page = client.get("/manager/surveys/?by=channel").content.decode()

    assert "Lovely, fast help" in page and "Far too slow" in page
    assert "50.0%" in page  # one of two CSAT answers is a 4 or 5
    assert "By Channel" in page


def test_bad_filters_fall_back_to_the_defaults(client, manager):
    client.force_login(manager)
    assert client.get("/manager/surveys/?by=nonsense&since=yesterday&kind=x").status_code == 200
