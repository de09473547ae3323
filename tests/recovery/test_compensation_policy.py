"""Compensation policy: the managers' rules suggest a remedy stored on the case (and
offered in the apology), and the approval-limit table decides who may grant it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from recovery import services
from recovery.models import ApprovalLimit, CompensationRule
from tests import factories
from tests.recovery.conftest import file_ticket

pytestmark = pytest.mark.django_db

CASES = "/api/v1/recovery/cases/"


def open_case(agent, customer, failure_type, **facts):
    return services.case_open(
        actor=agent, ticket=file_ticket(customer), failure_type=failure_type, facts=facts
    ).case


def test_the_shipped_limits_are_agent_50_lead_200_managers_unlimited():
    limits = dict(ApprovalLimit.objects.values_list("role", "amount"))

    assert limits == {
        "agent": Decimal("50.00"),
        "lead": Decimal("200.00"),
        "manager": None,
        "admin": None,
    }


def test_an_overcharge_suggests_refunding_the_amount_and_the_apology_offers_it(agent, customer):
    case = open_case(agent, customer, "overcharge", amount="80.00", currency="GBP")

    assert (case.compensation_kind, case.compensation_amount, case.compensation_currency) == (
        "refund",
        Decimal("80.00"),
        "GBP",
    )
    assert "full refund of 80.00 GBP" in case.apology_body


def test_the_most_specific_rule_wins(agent, customer):
    customer.tier = "gold"
    customer.save(update_fields=["tier"])
    CompensationRule.objects.create(
        failure_type="late_delivery",
        tier="gold",
        kind="voucher",
        amount=Decimal("40"),
        currency="EUR",
    )

    case = open_case(agent, customer, "late_delivery", order_number="Z-1", days_late=2)

    assert (case.compensation_kind, case.compensation_amount) == ("voucher", Decimal("40"))


def test_no_rule_suggests_nothing(agent, customer):
    case = open_case(agent, customer, "handoffs")

    assert case.compensation_kind == "" and case.compensation_amount is None


def test_new_facts_move_the_suggestion_and_the_offer(agent, customer):
    case = open_case(agent, customer, "overcharge", amount="20.00", currency="EUR")

    case = services.case_update(
        actor=agent, case=case, facts={"amount": "120.00", "currency": "EUR"}
    )

    assert case.compensation_amount == Decimal("120.00")
    assert "120.00 EUR" in case.apology_body


@pytest.mark.parametrize(
    ("role", "may"), [("agent", False), ("lead", True), ("manager", True), ("customer", False)]
)
def test_the_api_says_whether_the_viewers_role_may_grant_it(client_for, agent, customer, role, may):
    case = open_case(agent, customer, "overcharge", amount="120.00", currency="EUR")
    viewer = factories.UserFactory(role=role)

    response = client_for(viewer).get(f"{CASES}{case.pk}/")

    if role == "customer":
        assert response.status_code == 404
    else:
        assert response.json()["compensation"]["can_grant"] is may


def test_a_manager_changing_the_limit_changes_who_may_grant(client_for, agent, customer):
    case = open_case(agent, customer, "overcharge", amount="120.00", currency="EUR")
    ApprovalLimit.objects.filter(role="agent").update(amount=Decimal("150"))

    response = client_for(type(agent).objects.get(pk=agent.pk)).get(f"{CASES}{case.pk}/")

    assert response.json()["compensation"]["can_grant"] is True


def test_a_role_without_a_limit_row_may_grant_nothing(client_for, agent, customer):
    case = open_case(agent, customer, "defective_product", product="Kettle")
    ApprovalLimit.objects.filter(role="agent").delete()

    response = client_for(type(agent).objects.get(pk=agent.pk)).get(f"{CASES}{case.pk}/")

    assert case.compensation_kind == "replacement"
    assert response.json()["compensation"]["can_grant"] is False


def test_only_managers_edit_the_policy_in_the_admin(client):
    lead = factories.LeadFactory(is_staff=True, is_superuser=True)
    manager = factories.ManagerFactory(is_staff=True, is_superuser=True)
    limit = ApprovalLimit.objects.get(role="agent")
    url = reverse("admin:recovery_approvallimit_change", args=[limit.pk])

    client.force_login(lead)
    refused = client.post(url, {"role": "agent", "amount": "5000"})
    client.force_login(manager)
    allowed = client.post(url, {"role": "agent", "amount": "60"})

    assert refused.status_code == 403
    assert allowed.status_code == 302
    limit.refresh_from_db()
    assert limit.amount == Decimal("60")


def test_the_case_stays_read_only_in_the_admin(admin_client, agent, customer):
    case = open_case(agent, customer, "overcharge", amount="20.00", currency="EUR")

    admin_client.post(
        reverse("admin:recovery_recoverycase_change", args=[case.pk]),
        {"compensation_amount": "9000"},
    )

    case.refresh_from_db()
    assert case.compensation_amount == Decimal("20.00")
