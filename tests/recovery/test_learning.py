"""Learning from failures: each case's root cause from the taxonomy, and coaching notes
that only the coached agent, their team leads and managers read."""

import pytest
from django.urls import reverse

from helpdesk.errors import ApplicationError
from recovery import services
from recovery.models import CoachingNote, RootCause, RootCauseArea, RootCauseCategory
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_taxonomy_ships_five_areas_with_sub_causes():
    areas = list(RootCauseCategory.objects.values_list("key", flat=True))

    assert areas == ["product", "process", "people", "partner", "policy"]
    assert set(areas) == set(RootCauseArea.values)
    for category in RootCauseCategory.objects.all():
        assert category.causes.filter(is_active=True).count() >= 3, category.key


def test_an_agent_records_the_root_cause_on_the_case_page(client, agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery").case
    carrier = RootCause.objects.get(name="Carrier delay or loss")
    client.force_login(agent)

    response = client.post(
        reverse("manager:recovery_case_root_cause", args=[case.pk]),
        {"root_cause": carrier.pk, "note": "Carrier lost the parcel in the hub."},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.root_cause == carrier
    assert case.root_cause_note == "Carrier lost the parcel in the hub."
    assert case.events.filter(type="case.root_cause_set").exists()
    page = client.get(reverse("manager:recovery_case", args=[case.pk])).content.decode()
    assert "Partner: Carrier delay or loss" in page


def test_a_switched_off_root_cause_is_refused(client, agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery").case
    cause = RootCause.objects.get(name="Carrier delay or loss")
    cause.is_active = False
    cause.save(update_fields=["is_active"])
    client.force_login(agent)

    response = client.post(
        reverse("manager:recovery_case_root_cause", args=[case.pk]), {"root_cause": cause.pk}
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.root_cause is None


def test_managers_edit_the_sub_causes(client, manager, agent):
    people = RootCauseCategory.objects.get(key="people")
    causes = list(
        RootCause.objects.select_related("category").order_by(
            "category__position", "position", "name"
        )
    )
    data = {
        "causes-TOTAL_FORMS": str(len(causes) + 1),
        "causes-INITIAL_FORMS": str(len(causes)),
        "causes-MIN_NUM_FORMS": "0",
        "causes-MAX_NUM_FORMS": "1000",
    }
    for i, cause in enumerate(causes):
        data |= {
            f"causes-{i}-id": cause.pk,
            f"causes-{i}-category": cause.category_id,
            f"causes-{i}-name": cause.name,
            f"causes-{i}-position": cause.position,
        }
        if cause.name != "Tone or empathy":
            data[f"causes-{i}-is_active"] = "on"
    n = len(causes)
    data |= {
        f"causes-{n}-category": people.pk,
        f"causes-{n}-name": "Overpromised a date",
        f"causes-{n}-position": 9,
        f"causes-{n}-is_active": "on",
    }
    url = reverse("manager:recovery_root_causes")
    client.force_login(agent)
    assert client.post(url, data).status_code == 403

    client.force_login(manager)
    response = client.post(url, data)

    assert response.status_code == 302
    assert RootCause.objects.get(name="Overpromised a date").category == people
    assert not RootCause.objects.get(name="Tone or empathy").is_active


@pytest.fixture
def people(db, team):
    """The coached agent in `team`, its lead, a colleague, another team's lead, a manager."""
    lead = factories.LeadFactory(email="lead@example.com", full_name="Lee Lead")
    team.lead = lead
    team.save(update_fields=["lead"])
    coached = factories.AgentFactory(email="coached@example.com", full_name="Casey Coached")
    coached.teams.add(team)
    colleague = factories.AgentFactory(email="colleague@example.com")
    colleague.teams.add(team)
    other_lead = factories.LeadFactory(email="otherlead@example.com")
    factories.TeamFactory(name="Billing", lead=other_lead)
    manager = factories.ManagerFactory(email="boss@example.com")
    return {
        "lead": lead,
        "coached": coached,
        "colleague": colleague,
        "other_lead": other_lead,
        "manager": manager,
    }


def test_a_lead_writes_a_coaching_note_that_only_the_right_people_read(client, people, ticket):
    case = services.case_open(actor=people["lead"], ticket=ticket, failure_type="poor_support").case
    client.force_login(people["lead"])

    response = client.post(
        reverse("manager:recovery_case_coaching", args=[case.pk]),
        {
            "agent": people["coached"].pk,
            "note": "Answer the question asked before linking the FAQ.",
        },
    )

    assert response.status_code == 302
    note = CoachingNote.objects.get()
    assert (note.agent, note.author, note.case) == (people["coached"], people["lead"], case)
    event = case.events.get(type="case.coaching_note_added")
    assert "FAQ" not in str(event.data)  # the audit trail names the note, never its text

    text = "Answer the question asked"
    readers = {
        "coached": True,
        "lead": True,
        "manager": True,
        "colleague": False,
        "other_lead": False,
    }
    for who, reads in readers.items():
        client.force_login(people[who])
        case_page = client.get(reverse("manager:recovery_case", args=[case.pk])).content.decode()
        notes_page = client.get(reverse("manager:recovery_coaching")).content.decode()
        assert (text in case_page) is reads, who
        assert (text in notes_page) is reads, who


def test_agents_do_not_write_coaching_notes(client, people, ticket):
    case = services.case_open(
        actor=people["colleague"], ticket=ticket, failure_type="poor_support"
    ).case
    client.force_login(people["colleague"])

    response = client.post(
        reverse("manager:recovery_case_coaching", args=[case.pk]),
        {"agent": people["coached"].pk, "note": "Do better."},
    )

    assert response.status_code == 403
    assert not CoachingNote.objects.exists()


def test_coaching_notes_are_for_staff_only(people, customer, ticket):
    case = services.case_open(actor=people["lead"], ticket=ticket, failure_type="poor_support").case

    with pytest.raises(ApplicationError) as error:
        services.coaching_note_add(actor=people["lead"], case=case, agent=customer, note="x")

    assert error.value.field == "agent"
    assert CoachingNote.objects.visible_to(customer).count() == 0
