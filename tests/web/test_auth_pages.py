"""Logging in and out, and resetting a forgotten password."""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_form(client):
    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Email:</label>' in html
    assert 'type="password"' in html
    assert "/accounts/password_reset/" in html


def test_a_customer_logs_in_and_lands_in_the_portal(client, customer):
    response = client.post(
        "/accounts/login/", {"username": "Customer@Example.com", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1] == ("/portal/", 302)


def test_an_agent_lands_in_the_queues(client, agent):
    response = client.post(
        "/accounts/login/", {"username": agent.email, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1] == ("/agent/", 302)


def test_it_returns_to_the_page_asked_for(client, customer, ticket):
    url = f"/portal/tickets/{ticket.pk}/"

    response = client.post(
        f"/accounts/login/?next={url}",
        {"username": customer.email, "password": PASSWORD, "next": url},
    )

    assert response["Location"] == url


def test_it_says_when_the_password_is_wrong(client, customer):
    response = client.post("/accounts/login/", {"username": customer.email, "password": "nope"})

    assert response.status_code == 200
    assert "That email and password do not match an account." in response.content.decode()


def test_it_logs_out_with_a_post(customer_client):
    response = customer_client.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert customer_client.get("/portal/").status_code == 302


def test_it_emails_a_password_reset_link(client, customer):
    response = client.post("/accounts/password_reset/", {"email": customer.email}, follow=True)

    assert "Check your email" in response.content.decode()
    [sent] = mail.outbox
    assert sent.to == [customer.email]
    assert sent.subject == "Choose a new password for the help desk"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", sent.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a much better secret 42", "new_password2": "a much better secret 42"},
        follow=True,
    )
    assert "Your new password is saved." in done.content.decode()
    customer.refresh_from_db()
    assert customer.check_password("a much better secret 42")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(
        "/accounts/password_reset/", {"email": "nobody@example.com"}, follow=True
    )

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []
