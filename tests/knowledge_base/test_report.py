"""/kb/report/: what readers read, rate and miss, for support staff only."""

import pytest
from django.test import Client

from knowledge_base import services
from knowledge_base.models import Article, DeflectionSession
from tests.knowledge_base.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

URL = "/kb/report/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def vote(article, helpful: bool, who: str, comment: str = "") -> None:
    services.article_feedback_submit(
        article=article, helpful=helpful, comment=comment, session_key=who
    )


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_customers_find_nothing_here(customer):
    assert client_for(customer).get(URL).status_code == 404


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_staff_read_the_report(request, role):
    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Knowledge base report · Help desk</title>" in page
    for heading in ("Most read", "Least helpful", "Knowledge gaps", "Ticket deflection"):
        assert heading in page


def test_it_lists_the_most_read_articles_first(agent, account_category):
    busy = ArticleFactory(category=account_category, slug="busy", title="Busy article")
    quiet = ArticleFactory(category=account_category, slug="quiet", title="Quiet article")
    Article.objects.filter(pk=busy.pk).update(view_count=120)
    Article.objects.filter(pk=quiet.pk).update(view_count=3)

    page = client_for(agent).get(URL).content.decode()

    assert page.index("Busy article") < page.index("Quiet article")
    assert "<td>120</td>" in page


def test_it_lists_the_least_helpful_articles_with_counts_and_the_latest_comment(
    agent, account_category
):
    poor = ArticleFactory(category=account_category, slug="poor", title="Poor article")
    fine = ArticleFactory(category=account_category, slug="fine", title="Fine article")
    vote(poor, False, "a", "Out of date.")
    vote(poor, False, "b", "Screenshots <b>missing</b>.")
    vote(poor, True, "c")
    vote(fine, False, "d")
    vote(fine, True, "e")
    vote(fine, True, "f")

    page = client_for(agent).get(URL).content.decode()
    section = page[page.index("Least helpful") :]

    assert section.index("Poor article") < section.index("Fine article")
    assert "<td>2</td>\n            <td>1</td>" in section
    assert "Screenshots &lt;b&gt;missing&lt;/b&gt;." in section


def test_it_lists_knowledge_gaps_by_how_often_they_were_searched(agent, client):
    for _ in range(3):
        client.get("/kb/", {"q": "Cancel my Zeppelin ride"})
    client.get("/kb/", {"q": "airship"})

    page = client_for(agent).get(URL).content.decode()
    section = page[page.index("Knowledge gaps") :]

    assert section.index("cancel my zeppelin ride") < section.index("airship")
    assert "<td>3</td>" in section


def test_it_sums_up_deflection(agent, customer, account_category):
    article = ArticleFactory(category=account_category, slug="a")
    shown = services.deflection_suggestions_shown(
        user=customer, query="help", language="en", articles=[article]
    )
    services.deflection_mark_opened(user=customer, token=shown.token, article=article)
    services.deflection_mark_left(user=customer, token=shown.token)
    DeflectionSession.objects.create(user=customer, query="other", language="en")

    page = client_for(agent).get(URL).content.decode()

    assert "<dt>Customers shown suggestions</dt><dd>2</dd>" in page
    assert "<dt>Left without filing a ticket</dt><dd>1 (50 %)</dd>" in page


def test_it_reads_in_a_constant_number_of_queries(agent, client, django_assert_max_num_queries):
    def grow(n: int) -> None:
        category = CategoryFactory(slug=f"topic-{n}", name=f"Topic {n}")
        for i in range(5):
            article = ArticleFactory(category=category, slug=f"t{n}-{i}")
            Article.objects.filter(pk=article.pk).update(view_count=i + 1)
            vote(article, False, f"{n}-{i}", "Meh.")
            client.get("/kb/", {"q": f"nothing like {n} {i}"})

    staff = client_for(agent)
    grow(1)
    # Session and user (2), then one query per table: most read, least helpful,
    # knowledge gaps, the deflection totals.
    with django_assert_max_num_queries(6):
        staff.get(URL)
    grow(2)
    grow(3)
    with django_assert_max_num_queries(6):
        staff.get(URL)
