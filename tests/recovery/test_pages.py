"""The manager dashboard and the recovery queue: who gets in, what they show, what they cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recovery import services
from recovery.models import RecoveryCase
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARD = "/manager/"
QUEUE = "/manager/recovery/queue/"


def test_the_urls_keep_their_names():
    assert reverse("manager:dashboard") == DASHBOARD
    assert reverse("manager:recovery_queue") == QUEUE


@pytest.mark.parametrize("url", [DASHBOARD, QUEUE])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_only_managers_open_the_dashboard(client, customer, agent, manager):
    admin = factories.UserFactory(role="admin")
    lead = factories.LeadFactory()
    expected = {customer: 403, agent: 403, lead: 403, manager: 200, admin: 200}

    for user, status in expected.items():
        client.force_login(user)
        assert client.get(DASHBOARD).status_code == status, user.role


def test_staff_open_the_queue_and_customers_do_not(client, customer, agent, manager):
    for user, status in {customer: 403, agent: 200, manager: 200}.items():
        client.force_login(user)
        assert client.get(QUEUE).status_code == status, user.role


def test_the_dashboard_counts_open_cases_by_severity_age_and_type(client, manager, make_cases):
    critical, high, low, resolved, recovered = make_cases(5)
    now = timezone.now()
    RecoveryCase.objects.filter(pk=critical.pk).update(
        severity=90, failure_type="overcharge", detected_at=now
    )
    RecoveryCase.objects.filter(pk=high.pk).update(
        severity=60, failure_type="overcharge", detected_at=now - timedelta(days=2)
    )
    RecoveryCase.objects.filter(pk=low.pk).update(
        severity=10, failure_type="handoffs", detected_at=now - timedelta(days=10)
    )
    RecoveryCase.objects.filter(pk=resolved.pk).update(
        status="resolved", outcome="churned", resolved_at=now, failure_type="handoffs"
    )
    RecoveryCase.objects.filter(pk=recovered.pk).update(
        status="closed", outcome="recovered", resolved_at=now, failure_type="handoffs"
    )
    client.force_login(manager)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.open_total == 3
    bands = {key: counts for key, _label, counts, _total in dashboard.severity_by_age}
    assert bands == {
        "critical": [1, 0, 0, 0],
        "high": [0, 1, 0, 0],
        "medium": [0, 0, 0, 0],
        "low": [0, 0, 0, 1],
    }
    assert dashboard.recovery_rate == 50
    by_type = {
        row["failure_type"]: (row["open"], row["total"]) for row in dashboard.by_failure_type
    }
    assert by_type == {"overcharge": (2, 2), "handoffs": (1, 3)}
    assert [c.pk for c in dashboard.most_severe] == [critical.pk, high.pk, low.pk]
    assert "Service recovery" in response.content.decode()


def test_the_queue_lists_cases_in_work_most_severe_then_oldest(client, agent, make_cases):
    older, newer, severe, done = make_cases(4)
    now = timezone.now()
    RecoveryCase.objects.filter(pk__in=[older.pk, newer.pk]).update(severity=40)
    RecoveryCase.objects.filter(pk=older.pk).update(detected_at=now - timedelta(days=3))
    RecoveryCase.objects.filter(pk=newer.pk).update(detected_at=now - timedelta(hours=1))
    RecoveryCase.objects.filter(pk=severe.pk).update(severity=95)
    RecoveryCase.objects.filter(pk=done.pk).update(status="closed")
    client.force_login(agent)

    response = client.get(QUEUE)

    assert [c.pk for c in response.context["page"].object_list] == [severe.pk, older.pk, newer.pk]
    assert f"HD-{severe.ticket_id}" in response.content.decode()


def test_the_queue_filters_by_failure_type_and_ignores_junk(client, agent, make_cases):
    first, _second = make_cases(2)
    client.force_login(agent)

    filtered = client.get(QUEUE, {"failure_type": first.failure_type})
    junk = client.get(QUEUE, {"failure_type": "<script>", "page": "-7"})

    assert [c.pk for c in filtered.context["page"].object_list] == [first.pk]
    assert junk.status_code == 200
    assert len(junk.context["page"].object_list) == 2


def test_the_queue_and_the_dashboard_cost_the_same_for_10_or_100_cases(client, manager, make_cases):
    client.force_login(manager)

    def cost(url, n):
        RecoveryCase.objects.all().delete()
        make_cases(n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    # session + user, then: count + one page of cases with ticket, customer and assignee joined.
    assert cost(QUEUE, 10) == cost(QUEUE, 100) == 4
    # session + user, then: one aggregate, one GROUP BY failure type, the ten most severe.
    assert cost(DASHBOARD, 10) == cost(DASHBOARD, 100) == 5


def test_a_case_page_shows_its_reasons_to_staff_only(client, agent, customer, ticket):
    case = services.case_open(
        actor=agent, ticket=ticket, failure_type="late_delivery", facts={"days_late": 4}
    ).case

    client.force_login(agent)
    page = client.get(reverse("manager:recovery_case", args=[case.pk]))
    missing = client.get(reverse("manager:recovery_case", args=[case.pk + 1000]))
    client.force_login(customer)
    refused = client.get(reverse("manager:recovery_case", args=[case.pk]))

    assert page.status_code == 200
    assert "Arrived 4 days late." in page.content.decode()
    assert missing.status_code == 404
    assert refused.status_code == 403
