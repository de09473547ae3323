"""Ships the detector settings row and the default playbooks.

Six mission situations (technical difficulty, defective product, overcharge,
late item, poor support by a colleague, and a failure caught before it
happens) plus the generic playbook every other failure type falls back to.
Each has the same six moves, worded for its situation: listen and ask what
was lacking; apologise; resolve; offer compensation; record the root cause;
follow up. Managers edit them afterwards; this runs once and never overwrites.
"""

from django.db import migrations

LISTEN, APOLOGISE, RESOLVE, COMPENSATE, ROOT_CAUSE, FOLLOW_UP = (
    "listen",
    "apologise",
    "resolve",
    "compensate",
    "root_cause",
    "follow_up",
)

PLAYBOOKS = {
    "technical_difficulty": (
        "Technical difficulty",
        "Something in our product stopped the customer doing what they came to do.",
        [
            (LISTEN, "Listen, and ask what the problem stopped them doing",
             "Let them describe it in their words. Ask what they were trying to do, on which "
             "device, browser or app version, and what it cost them (a missed order, lost work, "
             "time). Put their answers in the case facts."),
            (APOLOGISE, "Apologise for the disruption",
             "Say sorry that the product got in the way, naming the specific problem. Never "
             "suggest their set-up is to blame."),
            (RESOLVE, "Fix it, or give a way round it that works today",
             "Reproduce it, apply the known fix or a workaround, and confirm with the customer "
             "that it works. If engineering must fix it, give a date and keep the ticket open."),
            (COMPENSATE, "Offer compensation for the lost time",
             "If they lost a sale, data or a paid period, offer account credit for the affected "
             "days or extend their subscription; within your grant limit, or ask for approval."),
            (ROOT_CAUSE, "Record the root cause",
             "Usually Product (software bug, documentation gap); link the bug report in the "
             "root cause notes."),
            (FOLLOW_UP, "Follow up once the fix is live",
             "Within 48 hours of the fix, check that everything works for them and thank them "
             "for their patience."),
        ],
    ),
    "defective_product": (
        "Defective product",
        "The item the customer received does not work as it should.",
        [
            (LISTEN, "Listen, and ask what is wrong with the item",
             "Ask for the order number, when it arrived, what fails, and one photo or video. "
             "Ask whether they would rather have a replacement or their money back."),
            (APOLOGISE, "Apologise for the faulty item",
             "Own it: the item should have worked from the first day. Do not ask for more proof "
             "than one photo."),
            (RESOLVE, "Replace or refund, without a hassle",
             "Send a replacement by express shipping or refund in full, as they prefer. Send a "
             "prepaid return label, or let them keep the item when a return costs more than it "
             "is worth."),
            (COMPENSATE, "Offer a gesture for the trouble",
             "A discount on the next order or a credit of about 10-20% of the item's price; more "
             "when it is not the first faulty item."),
            (ROOT_CAUSE, "Record the root cause",
             "Product (manufacturing defect, design flaw) or Partner (supplier defect); note "
             "the product and batch so quality can trace it."),
            (FOLLOW_UP, "Follow up when the replacement arrives",
             "A few days after delivery, check that the new item works."),
        ],
    ),
    "overcharge": (
        "Overcharge",
        "The customer was charged more than they should have been.",
        [
            (LISTEN, "Listen, and confirm what they were charged",
             "Ask for the invoice or order number and the amount they expected; check it against "
             "the billing record while they are with you. Record the amount in the facts."),
            (APOLOGISE, "Apologise for the billing error",
             "Say plainly that they were charged too much and that the mistake was ours."),
            (RESOLVE, "Refund the difference now",
             "Refund the overcharged amount to the original payment method today; give them the "
             "refund reference and when it will show on their statement. Correct the plan or "
             "price so the next bill is right."),
            (COMPENSATE, "Offer compensation for the inconvenience",
             "Always reimburse bank fees the error caused them; for a large amount or a repeat "
             "error add a credit or waive the next fee."),
            (ROOT_CAUSE, "Record the root cause",
             "Policy (pricing or billing rule error), Process (missing check) or Partner "
             "(payment provider error)."),
            (FOLLOW_UP, "Follow up after the refund lands",
             "Once the refund has settled, confirm they received it and that the next invoice "
             "is correct."),
        ],
    ),
    "late_delivery": (
        "Late item",
        "An order arrived late, or has not arrived by the promised date.",
        [
            (LISTEN, "Listen, and ask what the delay cost them",
             "Ask whether they needed it by a date (a gift, an event, work) and what the delay "
             "disrupted. Check the tracking while they are with you; record the days late."),
            (APOLOGISE, "Apologise for the late delivery",
             "Acknowledge the date we promised and missed; do not hide behind the carrier."),
            (RESOLVE, "Get the item to them, or refund",
             "Chase the carrier and give a firm new date. If the parcel is lost, reship by "
             "express at our cost, or refund if they no longer want it."),
            (COMPENSATE, "Refund the shipping and offer a gesture",
             "Refund the shipping cost; for a missed occasion or a long delay add a discount on "
             "the next order."),
            (ROOT_CAUSE, "Record the root cause",
             "Partner (carrier delay), Process (warehouse backlog) or Policy (a delivery promise "
             "we cannot keep)."),
            (FOLLOW_UP, "Follow up on delivery day",
             "Check that it arrived complete and undamaged."),
        ],
    ),
    "poor_support": (
        "Poor support by a colleague",
        "An earlier contact with us let the customer down.",
        [
            (LISTEN, "Listen, and ask what went wrong in their earlier contact",
             "Read the whole history first. Ask what they needed and what was lacking: a wrong "
             "answer, the tone, a promise not kept, being passed around. Do not defend the "
             "colleague."),
            (APOLOGISE, "Apologise for how we handled it",
             "Apologise for the experience, specifically and on behalf of the team; never blame "
             "the colleague by name."),
            (RESOLVE, "Solve the original problem yourself",
             "Take ownership: answer the original question fully, do what was promised, and be "
             "their one contact until it is done."),
            (COMPENSATE, "Offer a goodwill gesture",
             "A goodwill gesture or credit in proportion to the time they lost; more when they "
             "had to contact us several times."),
            (ROOT_CAUSE, "Record the root cause and ask for a coaching note",
             "People (knowledge gap, tone, procedure not followed), or Process when the "
             "procedure itself failed; a team lead adds a coaching note for the colleague."),
            (FOLLOW_UP, "Follow up personally",
             "A few days later, check that the problem stays solved and that they would contact "
             "us again."),
        ],
    ),
    "proactive": (
        "Caught before it happens",
        "A promise to a valued customer is about to break: act before they feel it.",
        [
            (LISTEN, "Reach out first, and ask what they need most",
             "Contact the customer before the deadline passes: say we can see their request is "
             "taking longer than promised and ask what matters most (timing, a partial answer "
             "now)."),
            (APOLOGISE, "Apologise for the wait ahead",
             "Say sorry that we will be later than we promised, and why, in one honest "
             "sentence."),
            (RESOLVE, "Act before the promise breaks",
             "Give the ticket to someone free now (or a senior agent) and answer within the "
             "promised time, or agree a new time the customer accepts."),
            (COMPENSATE, "Offer compensation only if the promise breaks",
             "If we still miss it, offer a credit or priority handling; if we make it, a "
             "thank-you is enough."),
            (ROOT_CAUSE, "Record why it nearly failed",
             "Process (slow workflow, unclear ownership) or People (not enough hands); this is "
             "how we stop the next one."),
            (FOLLOW_UP, "Follow up when it is solved",
             "Check that the answer arrived in time and that the customer is satisfied."),
        ],
    ),
    "generic": (
        "Any other failure",
        "The fallback for failure types without a playbook of their own.",
        [
            (LISTEN, "Listen, and ask what was lacking",
             "Read the history, then ask the customer what they needed and where we fell short."),
            (APOLOGISE, "Apologise, specifically",
             "Name what went wrong and say sorry for it; no excuses."),
            (RESOLVE, "Resolve the problem",
             "Fix what caused the contact and confirm with the customer that it is fixed."),
            (COMPENSATE, "Offer compensation where it fits",
             "In proportion to what the failure cost them; within your grant limit, or ask for "
             "approval."),
            (ROOT_CAUSE, "Record the root cause",
             "Pick the area and sub-cause, and note anything that would stop it happening "
             "again."),
            (FOLLOW_UP, "Follow up",
             "A few days later, check that the customer is satisfied."),
        ],
    ),
}


def ship(apps, schema_editor):
    DetectorSettings = apps.get_model("recovery", "DetectorSettings")
    Playbook = apps.get_model("recovery", "Playbook")
    PlaybookStep = apps.get_model("recovery", "PlaybookStep")
    DetectorSettings.objects.get_or_create(pk=1, defaults={"proactive_tiers": ["gold", "platinum"]})
    for situation, (name, summary, steps) in PLAYBOOKS.items():
        playbook, created = Playbook.objects.get_or_create(
            situation=situation, defaults={"name": name, "summary": summary}
        )
        if not created:
            continue  # a manager's playbook stays as it is
        PlaybookStep.objects.bulk_create(
            [
                PlaybookStep(
                    playbook=playbook, position=(i + 1) * 10, kind=kind, title=title, guidance=how
                )
                for i, (kind, title, how) in enumerate(steps)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("recovery", "0002_detectors_playbooks_learning")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
