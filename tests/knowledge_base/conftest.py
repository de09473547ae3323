import pytest

from tests.knowledge_base.factories import ArticleFactory, CategoryFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set a password for every user; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def account_category(db):
    return CategoryFactory(name="Account and access", slug="account")


@pytest.fixture
def password_article(account_category):
    return ArticleFactory(
        category=account_category,
        title="How to reset your password",
        slug="reset-your-password",
        body=(
            "Forgot it? Choose **Forgot your password?** on the login page, then follow "
            "the link we email you to choose a new password."
        ),
    )


@pytest.fixture
def internal_article(account_category):
    return ArticleFactory(
        category=account_category,
        title="Password reset for locked accounts (agents)",
        slug="locked-accounts",
        body="Agents: unlock the account in the admin before sending a password reset.",
        internal=True,
    )


@pytest.fixture
def draft_article(account_category):
    return ArticleFactory(
        category=account_category,
        title="Password rules are changing",
        slug="password-rules-draft",
        body="Draft: passwords will need twelve characters.",
        status="draft",
        published_at=None,
    )
