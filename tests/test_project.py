"""Project-level behaviour: probes, settings, the front door."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_it_answers_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_answers_readyz_when_database_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == ["database", "broker"]


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_is_down(client, monkeypatch):
    from helpdesk.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["failed"]) == {"broker"}


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "database" in response.json()["failed"]


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; import os; os.environ['DJANGO_SETTINGS_MODULE']='helpdesk.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_the_front_door_sends_people_to_where_they_work(client, customer, agent):
    assert client.get("/").status_code == 302
    client.force_login(customer)
    assert client.get("/")["Location"] == "/portal/"
    client.force_login(agent)
    assert client.get("/")["Location"] == "/agent/"
