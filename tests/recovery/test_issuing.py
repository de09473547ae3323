"""Issuing compensation: the limit holds on every route (page, API, admin, crafted POST),
an approval lets it through, the team budget is charged once even under concurrent
requests, and a voucher redeems once."""

import importlib
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from recovery import services
from recovery.models import CompensationIssue, RecoveryCase, TeamBudget
from tests import factories
from tests.recovery.conftest import file_ticket

CASES = "/api/v1/recovery/cases/"


def over_limit_case(agent, customer, team, amount="120.00"):
    """An overcharge whose suggested refund (the amount) is above an agent's 50."""
    ticket = file_ticket(customer)
    ticket.team = team
    ticket.save(update_fields=["team"])
    return services.case_open(
        actor=agent,
        ticket=ticket,
        failure_type="overcharge",
        facts={"amount": amount, "currency": "EUR"},
    ).case


def budget(team, amount="1000"):
    return TeamBudget.objects.create(
        team=team, month=timezone.localdate().replace(day=1), amount=Decimal(amount)
    )


@pytest.mark.django_db
class TestTheLimitHoldsOnEveryRoute:
    def test_the_case_page_refuses_an_agent_above_the_limit(self, client, agent, customer, team):
        case = over_limit_case(agent, customer, team)
        client.force_login(agent)

        response = client.post(reverse("manager:recovery_case_issue", args=[case.pk]))

        assert response.status_code == 302  # back to the case, with the reason shown
        assert not CompensationIssue.objects.exists()

    def test_the_api_refuses_an_agent_above_the_limit(self, client_for, agent, customer, team):
        case = over_limit_case(agent, customer, team)

        response = client_for(agent).post(f"{CASES}{case.pk}/issue/")

        assert response.status_code == 403
        assert "above your limit" in response.json()["detail"]
        assert not CompensationIssue.objects.exists()

    def test_a_crafted_post_from_a_customer_is_refused(self, client, agent, customer, team):
        case = over_limit_case(agent, customer, team)
        client.force_login(customer)

        page = client.post(reverse("manager:recovery_case_issue", args=[case.pk]))

        assert page.status_code == 403
        assert not CompensationIssue.objects.exists()

    def test_the_admin_cannot_add_or_change_issues_or_approvals(self, admin_client):
        add_issue = admin_client.get(reverse("admin:recovery_compensationissue_add"))
        add_approval = admin_client.get(reverse("admin:recovery_compensationapproval_add"))

        assert add_issue.status_code == 403
        assert add_approval.status_code == 403

    def test_an_agent_cannot_raise_their_own_limit_in_the_admin(self, client):
        staff_agent = factories.AgentFactory(is_staff=True, is_superuser=True)
        client.force_login(staff_agent)

        response = client.post(
            reverse("admin:recovery_approvallimit_add"), {"role": "agent", "amount": ""}
        )

        assert response.status_code == 403

    def test_within_the_limit_an_agent_issues_directly(self, client_for, agent, customer, team):
        case = over_limit_case(agent, customer, team, amount="30.00")

        response = client_for(agent).post(f"{CASES}{case.pk}/issue/")

        assert response.status_code == 200
        issue = CompensationIssue.objects.get()
        assert (issue.kind, issue.amount, issue.issued_by, issue.approval) == (
            "refund",
            Decimal("30.00"),
            agent,
            None,
        )
        assert case.events.filter(type="case.compensation_issued").count() == 1

    def test_after_approval_the_agent_issues_and_the_approver_is_recorded(
        self, client_for, agent, manager, customer, team
    ):
        case = over_limit_case(agent, customer, team)
        approval = services.compensation_request_approval(
            actor=agent,
            case=case,
            kind="refund",
            amount="120",
            currency="EUR",
            reason="Billing bug",
        )
        services.compensation_decide(actor=manager, approval=approval, approve=True)

        response = client_for(agent).post(f"{CASES}{case.pk}/issue/")

        assert response.status_code == 200, response.content
        issue = CompensationIssue.objects.get()
        assert (issue.approval, issue.approved_by) == (approval, manager)

    def test_an_approval_covers_only_what_was_approved(self, agent, manager, customer, team):
        case = over_limit_case(agent, customer, team)
        approval = services.compensation_request_approval(
            actor=agent, case=case, kind="refund", amount="100", currency="EUR", reason="Most"
        )
        services.compensation_decide(actor=manager, approval=approval, approve=True)
        RecoveryCase.objects.filter(pk=case.pk).update(compensation_amount=Decimal("900"))

        with pytest.raises(Exception, match="above your limit"):
            services.compensation_issue(actor=agent, case=case)

    def test_issuing_twice_is_refused_and_charges_once(self, client_for, agent, customer, team):
        case = over_limit_case(agent, customer, team, amount="30.00")
        row = budget(team)
        client = client_for(agent)

        first = client.post(f"{CASES}{case.pk}/issue/")
        second = client.post(f"{CASES}{case.pk}/issue/")

        assert (first.status_code, second.status_code) == (200, 409)
        row.refresh_from_db()
        assert row.spent == Decimal("30.00")

    def test_over_the_budget_is_refused(self, client_for, agent, customer, team):
        case = over_limit_case(agent, customer, team, amount="30.00")
        budget(team, amount="20")

        response = client_for(agent).post(f"{CASES}{case.pk}/issue/")

        assert response.status_code == 409
        assert not CompensationIssue.objects.exists()


@pytest.mark.django_db
class TestVouchers:
    def issue_voucher(self, agent, manager, customer, team):
        case = over_limit_case(agent, customer, team)
        approval = services.compensation_request_approval(
            actor=agent, case=case, kind="voucher", amount="75", currency="EUR", reason="Goodwill"
        )
        services.compensation_decide(actor=manager, approval=approval, approve=True)
        return services.compensation_issue(actor=agent, case=case)

    def test_a_voucher_is_unguessable_and_expires(self, agent, manager, customer, team):
        issue = self.issue_voucher(agent, manager, customer, team)

        assert len(issue.voucher_code) >= 20
        assert issue.voucher_expires_at > timezone.now()

    def test_a_voucher_redeems_once(self, agent, manager, customer, team):
        issue = self.issue_voucher(agent, manager, customer, team)

        assert services.voucher_redeem(code=issue.voucher_code) is True
        assert services.voucher_redeem(code=issue.voucher_code) is False
        assert services.voucher_redeem(code="not-a-code") is False

    def test_an_expired_voucher_does_not_redeem(self, agent, manager, customer, team):
        issue = self.issue_voucher(agent, manager, customer, team)
        CompensationIssue.objects.filter(pk=issue.pk).update(voucher_expires_at=timezone.now())

        assert services.voucher_redeem(code=issue.voucher_code) is False


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite cannot share tables across threads; CI runs it on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_charge_the_budget_once(agent, customer, team):
    # Transactional tests start from flushed tables: the shipped limits and rules back.
    importlib.import_module("recovery.migrations.0007_default_compensation_policy").ship(apps, None)
    case = over_limit_case(agent, customer, team, amount="40.00")
    row = budget(team)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def issue():
        barrier.wait()
        try:
            services.compensation_issue(actor=agent, case=RecoveryCase(pk=case.pk))
            results.append("issued")
        except Exception as error:  # the losers meet the lock and find it issued
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["Conflict", "Conflict", "Conflict", "issued"]
    assert CompensationIssue.objects.count() == 1
    row.refresh_from_db()
    assert row.spent == Decimal("40.00")


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite cannot share tables across threads; CI runs it on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_redeem_once(agent, manager, customer, team):
    importlib.import_module("recovery.migrations.0007_default_compensation_policy").ship(apps, None)
    issue = TestVouchers().issue_voucher(agent, manager, customer, team)
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def redeem():
        barrier.wait()
        try:
            results.append(services.voucher_redeem(code=issue.voucher_code))
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, False, False, True]


@pytest.mark.django_db
class TestTheApi:
    def test_request_decide_and_issue_through_the_api(
        self, client_for, agent, lead, manager, customer, team
    ):
        case = over_limit_case(agent, customer, team, amount="300.00")
        agent_api, lead_api, manager_api = (client_for(u) for u in (agent, lead, manager))

        asked = agent_api.post(
            f"{CASES}{case.pk}/approvals/",
            {"kind": "refund", "amount": "300.00", "currency": "EUR", "reason": "Double bill"},
            format="json",
        )
        approval_id = asked.json()["id"]
        by_agent = agent_api.post(
            f"/api/v1/recovery/approvals/{approval_id}/decision/",
            {"decision": "approve"},
            format="json",
        )
        by_lead = lead_api.post(
            f"/api/v1/recovery/approvals/{approval_id}/decision/",
            {"decision": "approve"},
            format="json",
        )
        by_manager = manager_api.post(
            f"/api/v1/recovery/approvals/{approval_id}/decision/",
            {"decision": "approve", "reason": "Our billing bug"},
            format="json",
        )
        issued = agent_api.post(f"{CASES}{case.pk}/issue/")

        assert asked.status_code == 201, asked.content
        assert by_agent.status_code == 403  # agents follow their requests, never decide them
        assert by_lead.status_code == 403  # 300 is above a lead's 200
        assert by_manager.status_code == 200
        assert by_manager.json()["decision_reason"] == "Our billing bug"
        assert issued.status_code == 200
        assert CompensationIssue.objects.get().approved_by == manager

    def test_patching_compensation_onto_a_case_is_ignored(self, client_for, agent, customer, team):
        case = over_limit_case(agent, customer, team, amount="30.00")

        client_for(agent).patch(
            f"{CASES}{case.pk}/",
            {"compensation": {"kind": "refund", "amount": "9999"}, "compensation_amount": "9999"},
            format="json",
        )

        case.refresh_from_db()
        assert case.compensation_amount == Decimal("30.00")
