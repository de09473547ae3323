"""The deterministic apology composer: the case's facts in, a personal draft out.

A draft has, in order: a greeting with the customer's first name; what went
wrong, concretely (the order and the days late, the hours waited against the
hours promised, the amount, the product, the colleague); ownership of it;
empathy matched to the customer's tone and the severity; what has been done;
the offer; what happens next and by when (in the customer's time zone);
thanks; the agent's signature.

Variants are chosen from a hash of the case id and its facts, so the same
case always drafts the same text and different cases read differently.
"""

import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from recovery.apology import phrases

# Customer messages at or below this sentiment read as angry.
ANGRY_SENTIMENT = -0.5
# Severity from which a case counts as serious whatever the tone.
SERIOUS_SEVERITY = 50
# When the agent promises to be back: sooner for severe cases.
REPLY_WITHIN_SEVERE = timedelta(hours=24)
REPLY_WITHIN = timedelta(hours=48)

# Failure types that share a fact bank with another.
FACT_BANK = {
    "negative_sentiment": "generic",
    "low_csat": "generic",
    "escalation_request": "generic",
}
FIX_BANK = {
    "sla_breach": "long_wait",
    "handoffs": "poor_support",
    "reopened": "technical_difficulty",
    "repeat_contact": "poor_support",
    "negative_sentiment": "generic",
    "low_csat": "generic",
    "escalation_request": "generic",
}


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


@dataclass(frozen=True)
class ApologyInput:
    case_id: int
    language: str
    first_name: str
    failure_type: str
    ticket_reference: str
    agent_name: str
    reply_by: datetime  # aware; shown in `time_zone`
    time_zone: str = "UTC"
    facts: dict[str, Any] = field(default_factory=dict)
    severity: int = 0
    sentiment: float | None = None
    compensation_kind: str = ""
    compensation_amount: Decimal | None = None
    compensation_currency: str = ""


def _number(value: Any) -> str:
    """12 -> "12", 12.5 -> "12.5": hours and days as a person writes them."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}"


def _money(amount: Any, currency: str, language: str) -> str:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    text = f"{value:,.2f}"
    if language == "es":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text} {currency}".strip()


def _when(moment: datetime, zone_name: str, language: str) -> str:
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, zone_name = zoneinfo.ZoneInfo("UTC"), "UTC"
    local = moment.astimezone(zone)
    return phrases.WHEN[language].format_map(
        {
            "weekday": phrases.WEEKDAYS[language][local.weekday()],
            "day": local.day,
            "month": phrases.MONTHS[language][local.month - 1],
            "time": local.strftime("%H:%M"),
            "zone": zone_name,
        }
    )


class _Picker:
    """Deterministic choices: each slot draws its own bytes from one digest."""

    def __init__(self, seed: str) -> None:
        self.digest = hashlib.sha256(seed.encode()).digest()

    def pick(self, slot: int, options: list) -> Any:
        return options[self.digest[slot % len(self.digest)] % len(options)]


def _seed(data: ApologyInput) -> str:
    facts = json.dumps(data.facts, sort_keys=True, default=str)
    return f"{data.case_id}|{data.failure_type}|{facts}|{data.compensation_kind}"


def _values(data: ApologyInput, language: str) -> dict[str, str]:
    facts = data.facts
    values = {
        "name": data.first_name,
        "ticket": data.ticket_reference,
        "order": str(facts.get("order_number") or ""),
        "product": str(facts.get("product") or ""),
        "colleague": str(facts.get("agent_name") or ""),
        "days": _number(facts["days_late"]) if facts.get("days_late") else "",
        "waited": _number(facts["hours_waited"]) if facts.get("hours_waited") else "",
        "promised": _number(facts["promised_hours"]) if facts.get("promised_hours") else "",
        "what": str(facts.get("description") or "").strip(),
        "agent": data.agent_name,
    }
    if facts.get("amount") not in (None, ""):
        values["amount"] = _money(facts["amount"], str(facts.get("currency") or ""), language)
    else:
        values["amount"] = ""
    if values["what"] and values["what"][-1] not in ".!?":
        values["what"] += "."
    return values


def _fact_sentence(data: ApologyInput, language: str, values: dict, picker: _Picker) -> str:
    bank = phrases.FACTS[language]
    failure = FACT_BANK.get(data.failure_type, data.failure_type)
    templates = bank.get(failure, bank["generic"])
    known = [(needs, t) for needs, t in templates if all(values.get(k) for k in needs)]
    # The most specific variants win: those using the most of the facts we know.
    best = max(len(needs) for needs, _t in known)
    return picker.pick(1, [t for needs, t in known if len(needs) == best]).format_map(values)


def _topic(language: str, values: dict) -> str:
    topics = phrases.TOPICS[language]
    if values["order"]:
        return topics["order"].format_map(values)
    if values["product"]:
        return topics["product"].format_map(values)
    return topics["ticket"].format_map(values)


def _tone(data: ApologyInput) -> str:
    if data.sentiment is not None and data.sentiment <= ANGRY_SENTIMENT:
        return "angry"
    if data.severity >= SERIOUS_SEVERITY or (data.sentiment is not None and data.sentiment < 0):
        return "serious"
    return "calm"


def _offer(data: ApologyInput, language: str, picker: _Picker) -> str:
    kinds = phrases.OFFER_KINDS[language]
    if not data.compensation_kind or data.compensation_kind not in kinds:
        return picker.pick(7, phrases.OFFERS_NONE[language])
    amount = ""
    if data.compensation_amount is not None:
        amount = _money(data.compensation_amount, data.compensation_currency, language)
    wording = kinds[data.compensation_kind]
    if "{amount}" in wording and not amount:
        wording = kinds["replacement"] if data.compensation_kind == "replacement" else wording
        wording = wording.replace(" {amount}", "").replace("{amount}", "")
    offer = wording.format_map({"amount": amount})
    return picker.pick(8, phrases.OFFERS[language]).format_map({"offer": offer})


def compose(data: ApologyInput) -> Draft:
    language = data.language if data.language in phrases.FACTS else "en"
    picker = _Picker(_seed(data))
    values = _values(data, language)
    topic = _topic(language, values)
    values["topic"] = topic
    fix_bank = phrases.FIXES[language]
    fixes = fix_bank.get(FIX_BANK.get(data.failure_type, data.failure_type), fix_bank["generic"])
    sentences = [
        _fact_sentence(data, language, values, picker),
        picker.pick(2, phrases.OWNERSHIP[language]).format_map(values),
        picker.pick(3, phrases.EMPATHY[language][_tone(data)]),
    ]
    paragraphs = [
        picker.pick(0, phrases.GREETINGS[language]).format_map(values),
        " ".join(sentences),
        " ".join(
            [
                picker.pick(4, fixes).format_map(values),
                _offer(data, language, picker),
                picker.pick(5, phrases.NEXT_STEPS[language]).format_map(
                    {**values, "when": _when(data.reply_by, data.time_zone, language)}
                ),
            ]
        ),
        picker.pick(6, phrases.THANKS[language]).format_map(values),
        phrases.SIGNATURES[language].format_map(values)
        if data.agent_name
        else phrases.TEAM[language],
    ]
    subject = picker.pick(9, phrases.SUBJECTS[language]).format_map(
        {"name": data.first_name, "topic": topic}
    )
    return Draft(subject=subject[:255], body="\n\n".join(p for p in paragraphs if p))


def reply_by_for(*, severity: int, start: datetime) -> datetime:
    """When the agent promises to be back: a day for severe cases, else two, on the hour."""
    within = REPLY_WITHIN_SEVERE if severity >= SERIOUS_SEVERITY else REPLY_WITHIN
    moment = start + within
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def input_for_case(case: Any, *, start: datetime) -> ApologyInput:
    """The composer's input from a case (with `customer`, `ticket` loaded).

    Signed by the agent on the case, else the ticket's assignee, else the team.
    """
    customer = case.customer
    agent = case.assigned_to or getattr(case.ticket, "assignee", None)
    language = customer.language if customer.language in phrases.FACTS else "en"
    agent_name = agent.display_name if agent else ""
    return ApologyInput(
        case_id=case.pk,
        language=language,
        first_name=customer.first_name,
        failure_type=case.failure_type,
        ticket_reference=case.ticket.reference,
        agent_name=agent_name,
        reply_by=reply_by_for(severity=case.severity, start=start),
        time_zone=customer.time_zone or "UTC",
        facts=dict(case.facts or {}),
        severity=case.severity,
        sentiment=case.sentiment,
        compensation_kind=case.compensation_kind,
        compensation_amount=case.compensation_amount,
        compensation_currency=case.compensation_currency,
    )
