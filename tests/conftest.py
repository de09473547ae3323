import importlib

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from helpdesk.celery import app as celery_app
from tests import factories

# WhiteNoise warns when STATIC_ROOT is missing; tests serve static files through the finders.
django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing with the production hasher costs most of a test's time; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Data the migrations ship (recovery playbooks and root causes, survey wording).
# A transactional test empties every table when it ends, so put them back for
# whichever test runs next, as a fresh install has them.
SHIPPED_DATA = [
    ("recovery", "0003_default_playbooks", "ship", "Playbook"),
    ("recovery", "0004_default_root_causes", "ship", "RootCauseCategory"),
    ("recovery", "0007_default_compensation_policy", "ship", "ApprovalLimit"),
    ("surveys", "0003_default_questions", "add_defaults", "SurveyQuestion"),
]


@pytest.fixture(autouse=True)
def _shipped_data(request):
    marker = request.node.get_closest_marker("django_db")
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if marker is None and not uses_db:
        return
    transactional = "transactional_db" in uses_db or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    for app, migration, function, model in SHIPPED_DATA:
        if not apps.get_model(app, model).objects.exists():
            module = importlib.import_module(f"{app}.migrations.{migration}")
            getattr(module, function)(apps, None)


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run inline in tests; on_commit callbacks still decide when they run."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def customer(db, organisation):
    return factories.CustomerFactory(organisation=organisation, email="customer@example.com")


@pytest.fixture
def other_customer(db):
    return factories.CustomerFactory(email="other@example.com")


@pytest.fixture
def team(db):
    return factories.TeamFactory(name="Support")


@pytest.fixture
def agent(db, team):
    user = factories.AgentFactory(email="agent@example.com", full_name="Alex Agent")
    user.teams.add(team)
    return user


@pytest.fixture
def manager(db):
    return factories.ManagerFactory(email="manager@example.com", full_name="Morgan Manager")


@pytest.fixture
def api_client():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
