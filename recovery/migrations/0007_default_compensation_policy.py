"""Ships the default approval limits (agent 50, lead 200, manager and admin unlimited)
and a starting set of compensation rules managers then edit."""

from decimal import Decimal

from django.db import migrations

LIMITS = {"agent": Decimal("50"), "lead": Decimal("200"), "manager": None, "admin": None}

# (failure type, band, tier, remedy, amount or None for the facts' amount, currency)
RULES = [
    ("overcharge", "", "", "refund", None, ""),
    ("late_delivery", "", "", "voucher", Decimal("10"), "EUR"),
    ("late_delivery", "critical", "", "voucher", Decimal("25"), "EUR"),
    ("defective_product", "", "", "replacement", None, ""),
    ("long_wait", "", "", "credit", Decimal("10"), "EUR"),
    ("sla_breach", "high", "", "credit", Decimal("15"), "EUR"),
    ("sla_breach", "critical", "", "credit", Decimal("30"), "EUR"),
    ("technical_difficulty", "critical", "", "free_month", None, ""),
    ("poor_support", "high", "", "credit", Decimal("20"), "EUR"),
    ("poor_support", "critical", "", "credit", Decimal("40"), "EUR"),
]


def ship(apps, schema_editor):
    ApprovalLimit = apps.get_model("recovery", "ApprovalLimit")
    CompensationRule = apps.get_model("recovery", "CompensationRule")
    for role, amount in LIMITS.items():
        ApprovalLimit.objects.get_or_create(role=role, defaults={"amount": amount})
    if not CompensationRule.objects.exists():
        CompensationRule.objects.bulk_create(
            [
                CompensationRule(
                    failure_type=failure,
                    severity_band=band,
                    tier=tier,
                    kind=kind,
                    amount=amount,
                    currency=currency,
                    position=index,
                )
                for index, (failure, band, tier, kind, amount, currency) in enumerate(RULES)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("recovery", "0006_compensation_policy")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
