"""The public knowledge-base pages, through HTTP as an anonymous visitor."""

import pytest
from django.test import Client

from tests.knowledge_base.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def test_it_lists_categories_and_published_articles_for_anyone(
    client, password_article, internal_article, draft_article
):
    response = client.get("/kb/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Knowledge base · Help desk</title>" in page
    assert "Account and access" in page
    assert 'href="/kb/reset-your-password/"' in page
    assert internal_article.title not in page
    assert draft_article.title not in page
    assert '<link rel="canonical" href="http://testserver/kb/">' in page


def test_it_has_a_labelled_search_box(client):
    page = client.get("/kb/").content.decode()

    assert '<label for="id_q">Search the knowledge base</label>' in page
    assert 'type="search" name="q"' in page
    assert '<label for="id_language">Language</label>' in page


def test_it_finds_the_password_article(client, password_article, internal_article, draft_article):
    response = client.get("/kb/", {"q": "password"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 article matches “password”" in page
    assert 'href="/kb/reset-your-password/"' in page
    assert "<mark>password</mark>" in page.lower()
    assert internal_article.title not in page
    assert draft_article.title not in page


def test_it_ranks_title_matches_before_body_matches(client, account_category):
    ArticleFactory(
        category=account_category,
        title="Signing in on a new phone",
        slug="new-phone",
        body="If the app forgets your password, sign in again.",
    )
    ArticleFactory(category=account_category, title="Password tips", slug="password-tips")

    page = client.get("/kb/", {"q": "password"}).content.decode()

    assert page.index("/kb/password-tips/") < page.index("/kb/new-phone/")


def test_it_narrows_a_search_to_one_language(client, password_article, account_category):
    ArticleFactory(
        category=account_category,
        title="Cómo restablecer tu contraseña",
        slug="restablecer-contrasena",
        language="es",
        body="Elige ¿Olvidaste tu contraseña? y sigue el enlace (password).",
    )

    page = client.get("/kb/", {"q": "password", "language": "es"}).content.decode()

    assert "/kb/restablecer-contrasena/" in page
    assert "/kb/reset-your-password/" not in page


def test_it_says_so_when_nothing_matches(client, password_article):
    page = client.get("/kb/", {"q": "zeppelin"}).content.decode()

    assert "No articles match your search" in page


def test_it_escapes_the_query_it_shows_back(client, password_article):
    page = client.get("/kb/", {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "password", "page": "abc"},
        {"q": "password", "page": "99999"},
        {"q": "password", "language": "klingon"},
        {"q": "\x00"},
        {"q": "'\" OR 1=1 --"},
        {"q": "& | ! :* <->"},
    ],
)
def test_it_answers_bad_input_without_an_error(client, password_article, params):
    response = client.get("/kb/", params)

    assert response.status_code == 200


def test_it_shows_a_published_article_with_its_title_and_canonical_link(client, password_article):
    response = client.get("/kb/reset-your-password/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>How to reset your password · Help desk</title>" in page
    assert '<link rel="canonical" href="http://testserver/kb/reset-your-password/">' in page
    assert "<h1>How to reset your password</h1>" in page
    assert "<strong>Forgot your password?</strong>" in page
    assert '<article class="kb-article" lang="en">' in page


def test_it_counts_a_visitors_read(client, password_article):
    client.get("/kb/reset-your-password/")
    client.get("/kb/reset-your-password/")

    password_article.refresh_from_db()
    assert password_article.view_count == 2


@pytest.mark.parametrize("slug", ["locked-accounts", "password-rules-draft", "no-such-article"])
def test_it_hides_internal_draft_and_missing_articles(
    client, internal_article, draft_article, slug
):
    response = client.get(f"/kb/{slug}/")

    assert response.status_code == 404
    assert "Password" not in response.content.decode()


def test_it_hides_archived_articles(client, account_category):
    ArticleFactory(category=account_category, slug="old-news", status="archived")

    assert client.get("/kb/old-news/").status_code == 404


def test_it_sanitises_markdown_from_authors(client, account_category):
    ArticleFactory(
        category=account_category,
        slug="hostile",
        body=(
            "Hello <script>alert('x')</script>\n\n"
            '<img src="x" onerror="alert(1)">\n\n'
            "[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
            '<a href="https://example.com/" onclick="steal()">fine link</a>\n\n'
            '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>'
        ),
    )

    page = client.get("/kb/hostile/").content.decode()
    body = page[page.index('<div class="kb-body">') :]

    assert "<script" not in body
    assert "alert('x')" not in body
    assert "onerror" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    assert "data:text/html" not in body
    assert "<iframe" not in body
    assert "<style" not in body
    assert 'href="https://example.com/"' in body
    assert 'rel="noopener noreferrer nofollow"' in body


def test_it_loads_the_index_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(4):
        category = CategoryFactory(slug=f"topic-{n}", name=f"Topic {n}")
        ArticleFactory.create_batch(10, category=category)
    # Categories (1) and their articles prefetched (1); anonymous, so no session or user.
    with django_assert_max_num_queries(2):
        first = client.get("/kb/")
    for n in range(4, 8):
        category = CategoryFactory(slug=f"topic-{n}", name=f"Topic {n}")
        ArticleFactory.create_batch(25, category=category)
    with django_assert_max_num_queries(2):
        second = client.get("/kb/")
    assert first.content.decode().count("<li lang=") == 40
    # Each category shows its first twelve articles and links to the rest.
    assert second.content.decode().count("<li lang=") == 4 * 10 + 4 * 12
    assert 'href="/kb/category/topic-7/">All 25 articles in Topic 7</a>' in second.content.decode()


def test_it_searches_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    category = CategoryFactory(slug="topic", name="Topic")
    ArticleFactory.create_batch(10, category=category, title="Delivery times")
    # PostgreSQL: the probe (does any article have every word; which words are
    # known), ranking the capped candidates (which also gives the count), the
    # page's rows. SQLite: the probe, the count, the page.
    with django_assert_max_num_queries(3):
        client.get("/kb/", {"q": "delivery"})
    ArticleFactory.create_batch(90, category=category, title="Delivery times")
    with django_assert_max_num_queries(3):
        response = client.get("/kb/", {"q": "delivery"})
    assert "100 articles match" in response.content.decode()


def test_a_logged_in_customer_sees_no_internal_articles(
    client, customer, password_article, internal_article
):
    client.force_login(customer)

    listing = client.get("/kb/").content.decode()
    results = client.get("/kb/", {"q": "password"}).content.decode()

    assert internal_article.title not in listing
    assert internal_article.title not in results
    assert client.get("/kb/locked-accounts/").status_code == 404


def test_agents_read_internal_articles_without_counting_views(
    client, agent, password_article, internal_article
):
    client.force_login(agent)

    results = client.get("/kb/", {"q": "password"}).content.decode()
    response = client.get("/kb/locked-accounts/")

    assert internal_article.title in results
    assert response.status_code == 200
    assert "Internal: only agents can read this." in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    internal_article.refresh_from_db()
    assert internal_article.view_count == 0


def test_it_shows_an_article_in_a_constant_number_of_queries(
    client, password_article, account_category, django_assert_max_num_queries
):
    def grow(n: int) -> None:
        for i in range(n):
            other = ArticleFactory(category=account_category, slug=f"other-{n}-{i}")
            password_article.related.add(other)

    grow(2)
    # The article with its category and section (1), the view count (1), its
    # language versions (1), related articles (1), files (1).
    with django_assert_max_num_queries(5):
        client.get("/kb/reset-your-password/")
    grow(10)
    with django_assert_max_num_queries(5):
        response = client.get("/kb/reset-your-password/")
    assert response.content.decode().count('<li lang="en"><a href="/kb/other-') == 5
