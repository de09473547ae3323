"""Managers tune the detectors' thresholds on a page (and in the admin); detection reads them."""

import pytest
from django.urls import reverse

from recovery.models import DetectorSettings
from tests.recovery.conftest import active_case, file_ticket
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db

URL = "/manager/recovery/settings/"


def form_data(**changes):
    current = DetectorSettings.load()
    data = {}
    for field in DetectorSettings._meta.concrete_fields:
        if field.name in {"id", "updated_at", "updated_by"}:
            continue
        value = getattr(current, field.name)
        if isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif field.name == "proactive_tiers":
            data[field.name] = list(value)
        else:
            data[field.name] = value
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_the_url_keeps_its_name():
    assert reverse("manager:recovery_settings") == URL


def test_defaults_ship_with_the_migration():
    row = DetectorSettings.objects.get()

    assert row.pk == 1
    assert row.proactive_tiers == ["gold", "platinum"]
    assert (row.long_wait_hours, row.max_handoffs, row.repeat_contact_days) == (24, 2, 7)
    assert row.sentiment_threshold == -0.5


def test_only_managers_change_thresholds(client, agent, manager):
    client.force_login(agent)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(max_handoffs=9)).status_code == 403

    client.force_login(manager)
    assert client.get(URL).status_code == 200
    response = client.post(URL, form_data(max_handoffs=9, sentiment_enabled=False))

    assert response.status_code == 302
    row = DetectorSettings.load()
    assert row.max_handoffs == 9 and not row.sentiment_enabled
    assert row.updated_by == manager


def test_out_of_range_thresholds_are_refused(client, manager):
    client.force_login(manager)

    response = client.post(URL, form_data(sentiment_threshold="0.5", repeat_contact_similarity="0"))

    assert response.status_code == 400
    assert DetectorSettings.load().sentiment_threshold == -0.5


def test_a_new_threshold_applies_to_the_next_event(client, on_commit, manager, customer):
    client.force_login(manager)
    client.post(URL, form_data(sentiment_threshold="-0.95"))

    with on_commit():
        ticket = file_ticket(customer, subject="Lamp", body="This is unacceptable, I am furious.")

    assert active_case(ticket) is None  # upset, but not as upset as the manager now asks


def test_the_admin_edits_the_same_row(admin_client):
    response = admin_client.get(reverse("admin:recovery_detectorsettings_change", args=[1]))

    assert response.status_code == 200
    assert b"long_wait_hours" in response.content


def test_a_long_wait_threshold_change_is_honoured(client, on_commit, manager, customer, agent):
    import time_machine
    from django.utils import timezone

    client.force_login(manager)
    client.post(URL, form_data(long_wait_hours=2))
    start = timezone.now()
    with time_machine.travel(start, tick=False), on_commit():
        ticket = file_ticket(customer)
    with time_machine.travel(start + timezone.timedelta(hours=3), tick=False), on_commit():
        ticket_services.message_add(actor=agent, ticket=ticket, body="Here we are.")

    assert active_case(ticket).facts["promised_hours"] == 2
