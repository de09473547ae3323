"""Ships the root-cause taxonomy: five areas, each with sub-causes managers may edit."""

from django.db import migrations

TAXONOMY = [
    (
        "product",
        "Product",
        "What we sell or run did not work as it should.",
        ["Software bug", "Manufacturing defect", "Design flaw", "Missing or unclear documentation"],
    ),
    (
        "process",
        "Process",
        "How we work let the customer down, even when everyone did their job.",
        ["Broken handoff", "Missing check", "Slow workflow or backlog", "Unclear ownership"],
    ),
    (
        "people",
        "People",
        "How a colleague handled it: to be coached, not blamed.",
        ["Knowledge gap", "Wrong information given", "Tone or empathy", "Procedure not followed"],
    ),
    (
        "partner",
        "Partner",
        "A carrier, supplier or provider we rely on failed.",
        ["Carrier delay or loss", "Supplier defect", "Payment provider error", "Third-party outage"],
    ),
    (
        "policy",
        "Policy",
        "A rule of ours caused the failure or made it worse.",
        ["Pricing or billing rule error", "Policy too rigid", "Policy unclear to customers",
         "Promise we cannot keep"],
    ),
]


def ship(apps, schema_editor):
    RootCauseCategory = apps.get_model("recovery", "RootCauseCategory")
    RootCause = apps.get_model("recovery", "RootCause")
    for position, (key, name, description, causes) in enumerate(TAXONOMY, start=1):
        category, created = RootCauseCategory.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "position": position}
        )
        if not created:
            continue
        RootCause.objects.bulk_create(
            [
                RootCause(category=category, name=cause, position=i)
                for i, cause in enumerate(causes, start=1)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("recovery", "0003_default_playbooks")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
