"""Attachment downloads: who may fetch which file, and the headers that keep it safe."""

import pytest
from django.urls import reverse

from tests.web.conftest import upload
from tickets import services
from tickets.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(customer, ticket):
    services.message_add(
        actor=customer,
        ticket=ticket,
        body="Receipt attached",
        attachments=[upload("receipt.txt", b"paid 10 EUR")],
    )
    return Attachment.objects.get()


def test_it_downloads_an_attachment_with_safe_headers(customer_client, attachment):
    response = customer_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"paid 10 EUR"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_staff_download_through_the_agent_workspace(agent_client, attachment):
    response = agent_client.get(reverse("agent:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_encodes_names_that_are_not_plain_ascii(customer, customer_client, ticket):
    services.message_add(
        actor=customer, ticket=ticket, body="CV", attachments=[upload("résumé final.pdf", b"%PDF")]
    )
    attachment = Attachment.objects.get()

    response = customer_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''r%C3%A9sum%C3%A9_final.pdf"
    )


def test_it_never_serves_html_as_html(customer, customer_client, ticket):
    services.message_add(
        actor=customer,
        ticket=ticket,
        body="page",
        attachments=[upload("x.html", b"<script>alert(1)</script>", "text/html")],
    )
    attachment = Attachment.objects.get()

    response = customer_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="x.html"'


def test_another_customer_cannot_download_it(other_client, attachment):
    response = other_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_customers_cannot_download_files_on_internal_notes(agent, customer_client, ticket):
    services.message_add(
        actor=agent, ticket=ticket, body="note", internal=True, attachments=[upload("internal.txt")]
    )
    attachment = Attachment.objects.get()

    response = customer_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, attachment):
    response = client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_file_missing_from_storage_is_not_found(customer_client, attachment):
    attachment.file.delete(save=False)

    response = customer_client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_the_portal_links_each_attachment(customer_client, ticket, attachment):
    html = customer_client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()

    assert reverse("portal:attachment", args=[attachment.pk]) in html
    assert "receipt.txt" in html
