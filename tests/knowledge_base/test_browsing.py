"""Browsing the public knowledge base: sections, category pages, translations in
the reader's language, and the sitemap for search engines."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from helpdesk.errors import ApplicationError
from knowledge_base import services
from tests import factories
from tests.knowledge_base.factories import ArticleFactory, CategoryFactory, SectionFactory

pytestmark = pytest.mark.django_db

SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def sign_in(account_category):
    return SectionFactory(category=account_category, slug="sign-in", name="Signing in", position=1)


@pytest.fixture
def profile(account_category):
    return SectionFactory(
        category=account_category, slug="profile", name="Your profile", position=2
    )


@pytest.fixture
def spanish_password_article(password_article):
    return ArticleFactory(
        category=password_article.category,
        slug="restablecer-contrasena",
        title="Cómo restablecer tu contraseña",
        body="Elige ¿Olvidaste tu contraseña? y sigue el enlace.",
        language="es",
        translation_of=password_article,
    )


# --- sections and categories ----------------------------------------------------------


def test_the_index_groups_a_categorys_articles_by_section(
    client, account_category, sign_in, profile
):
    ArticleFactory(
        category=account_category, section=profile, title="Change your photo", slug="photo"
    )
    ArticleFactory(
        category=account_category, section=sign_in, title="Sign in with a link", slug="link"
    )
    ArticleFactory(category=account_category, title="About accounts", slug="about")

    page = client.get("/kb/").content.decode()

    assert (
        page.index("About accounts") < page.index("Signing in") < page.index("Sign in with a link")
    )
    assert (
        page.index("Sign in with a link")
        < page.index("Your profile")
        < page.index("Change your photo")
    )
    assert 'href="/kb/category/account/">Account and access</a>' in page


def test_a_category_page_lists_its_sections_and_articles(client, account_category, sign_in):
    ArticleFactory(
        category=account_category,
        section=sign_in,
        title="Sign in with a link",
        slug="link",
        summary="No password needed.",
    )
    ArticleFactory(
        category=account_category, section=sign_in, title="Hidden", slug="hidden", internal=True
    )

    response = client.get("/kb/category/account/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Account and access · Knowledge base · Help desk</title>" in page
    assert '<link rel="canonical" href="http://testserver/kb/category/account/">' in page
    assert '<h2 id="section-sign-in-heading">Signing in</h2>' in page
    assert "No password needed." in page
    assert "Hidden" not in page


@pytest.mark.parametrize("slug", ["nope", "account"])
def test_a_category_with_nothing_to_read_is_a_404(client, account_category, internal_article, slug):
    assert client.get(f"/kb/category/{slug}/").status_code == 404


def test_the_category_page_reads_in_a_constant_number_of_queries(
    client, account_category, sign_in, django_assert_max_num_queries
):
    ArticleFactory.create_batch(5, category=account_category, section=sign_in)
    # The category (1), the paginator's count (1), the page with sections joined (1).
    with django_assert_max_num_queries(3):
        client.get("/kb/category/account/")
    ArticleFactory.create_batch(40, category=account_category, section=sign_in)
    with django_assert_max_num_queries(3):
        client.get("/kb/category/account/")


def test_an_article_shows_its_section_in_the_breadcrumbs(client, account_category, sign_in):
    ArticleFactory(
        category=account_category, section=sign_in, title="Sign in with a link", slug="link"
    )

    page = client.get("/kb/link/").content.decode()

    assert '<a href="/kb/category/account/#section-sign-in">Signing in</a>' in page


def test_a_section_must_belong_to_the_articles_category(account_category):
    elsewhere = SectionFactory(category=CategoryFactory(slug="billing"), slug="refunds")

    with pytest.raises(ApplicationError) as error:
        services.article_create(
            actor=None, category=account_category, section=elsewhere, title="T", body="B"
        )

    assert error.value.field == "section"


@pytest.mark.parametrize("slug", ["suggest", "report", "category"])
def test_pages_of_the_knowledge_base_are_no_article_slugs(account_category, slug):
    with pytest.raises(ApplicationError) as error:
        services.article_create(
            actor=None, category=account_category, slug=slug, title="T", body="B"
        )

    assert error.value.field == "slug"


def test_an_article_read_by_id_redirects_to_its_canonical_address(client, password_article):
    response = client.get(f"/kb/{password_article.pk}/")

    assert response.status_code == 301
    assert response.url == "/kb/reset-your-password/"


# --- translations -----------------------------------------------------------------------


def test_the_index_shows_each_article_once_in_the_readers_language(
    client, password_article, spanish_password_article
):
    english = client.get("/kb/").content.decode()
    spanish = client.get("/kb/", headers=SPANISH).content.decode()

    assert "/kb/reset-your-password/" in english
    assert "/kb/restablecer-contrasena/" not in english
    assert "/kb/restablecer-contrasena/" in spanish
    assert "/kb/reset-your-password/" not in spanish


def test_a_signed_in_reader_gets_their_profiles_language(
    password_article, spanish_password_article
):
    reader = factories.CustomerFactory(language="es")
    client = Client()
    client.force_login(reader)

    assert "/kb/restablecer-contrasena/" in client.get("/kb/").content.decode()


def test_without_a_translation_the_reader_gets_the_original(
    client, password_article, account_category
):
    ArticleFactory(
        category=account_category, slug="spanish-only", title="Solo en español", language="es"
    )

    spanish = client.get("/kb/", headers=SPANISH).content.decode()
    english = client.get("/kb/").content.decode()

    assert "/kb/reset-your-password/" in spanish
    assert "/kb/spanish-only/" in english


def test_choosing_a_language_lists_only_that_language(
    client, password_article, spanish_password_article
):
    page = client.get("/kb/", {"language": "en"}, headers=SPANISH).content.decode()

    assert "/kb/reset-your-password/" in page
    assert "/kb/restablecer-contrasena/" not in page


def test_an_article_links_its_other_languages(client, password_article, spanish_password_article):
    page = client.get("/kb/reset-your-password/", headers=SPANISH).content.decode()

    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/kb/reset-your-password/">'
        in page
    )
    assert (
        '<link rel="alternate" hreflang="es" href="http://testserver/kb/restablecer-contrasena/">'
        in page
    )
    assert 'href="/kb/restablecer-contrasena/" hreflang="es" lang="es"' in page
    # The Spanish reader is pointed at their version.
    assert '<p class="notice" lang="es">' in page


def test_suggestions_come_in_the_readers_language(
    client, password_article, spanish_password_article
):
    # English words find the English original; a Spanish reader gets its translation.
    page = client.get("/kb/suggest/", {"q": "forgot password"}, headers=SPANISH).content.decode()

    assert "/kb/restablecer-contrasena/?from=deflection" in page
    assert "/kb/reset-your-password/" not in page


def test_a_translation_must_be_in_another_language(password_article):
    with pytest.raises(ApplicationError) as error:
        services.article_create(
            actor=None,
            category=password_article.category,
            title="Resetting passwords",
            body="…",
            language="en",
            translation_of=password_article,
        )

    assert error.value.field == "language"


def test_an_article_has_one_translation_per_language(password_article, spanish_password_article):
    with pytest.raises(ApplicationError) as error:
        services.article_create(
            actor=None,
            category=password_article.category,
            title="Otra traducción",
            body="…",
            language="es",
            translation_of=password_article,
        )

    assert error.value.field == "language"
    assert password_article.translations.count() == 1


def test_a_translation_of_a_translation_hangs_off_the_original(
    password_article, spanish_password_article, account_category
):
    # Pointing at the Spanish translation means pointing at the English original,
    # so an English "translation" is refused rather than chained.
    with pytest.raises(ApplicationError) as error:
        services.article_create(
            actor=None,
            category=account_category,
            title="Password help",
            body="…",
            language="en",
            translation_of=spanish_password_article,
        )

    assert error.value.field == "language"


# --- sitemap ------------------------------------------------------------------------------


def test_the_sitemap_lists_public_published_articles_and_categories(
    client, password_article, internal_article, draft_article
):
    response = client.get("/kb/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", namespace)
    ]
    assert locations == [
        "http://testserver/kb/",
        "http://testserver/kb/category/account/",
        "http://testserver/kb/reset-your-password/",
    ]
    assert b"<lastmod>" in response.content


def test_the_sitemap_reads_in_a_constant_number_of_queries(
    client, account_category, django_assert_max_num_queries
):
    ArticleFactory.create_batch(3, category=account_category)
    # The paginator's count (1), the page of articles (1), the categories (1).
    with django_assert_max_num_queries(3):
        client.get("/kb/sitemap.xml")
    ArticleFactory.create_batch(30, category=account_category)
    with django_assert_max_num_queries(3):
        response = client.get("/kb/sitemap.xml")
    assert response.content.count(b"<url>") == 1 + 1 + 33
