"""How serious a failure is, and how likely we are to win the customer back.

Pure functions: everything they weigh arrives in `ScoreInputs`, so they are
easy to test and a later issue can make the tables below editable. Each
score comes with its reasons, one per factor that counted, so an agent can
see why a case sits where it does in the queue.

Severity (0-100) adds:

- **failure_type**: a base for the kind of failure (`BASE_POINTS`);
- **size**: hours past the promise, days late, or the amount overcharged
  (against the customer's lifetime value and in absolute bands);
- **preventable**: the failure was within our control (`PREVENTABLE`);
- **prior_failures**: the customer's other cases in the past 12 months;
- **tier** and **lifetime_value**: who the customer is to us;
- **waiting**: how long the case has waited since it was detected;
- **repeated_signals**: the failure was reported more than once;
- **sentiment**: how upset the customer's messages read (the most negative
  compound score, -1..1, of `recovery.detectors.sentiment`): up to
  `SENTIMENT_POINTS` for -1, nothing for neutral or positive;
- **proactive**: the failure has not happened yet (an SLA warning caught on
  a valued customer): a discount, since the customer has not felt it.

Recovery chance (0-100 %) starts from a baseline and falls with severity,
repeat failures, severe preventable failures and slow handling; a one-off
failure handled quickly, or one caught before it happened, raises it.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Tier
from recovery.facts import fact_amount, fact_number
from recovery.models import FailureType

# Base severity of each kind of failure, before its size and the customer.
BASE_POINTS: dict[str, int] = {
    FailureType.DEFECTIVE_PRODUCT: 25,
    FailureType.OVERCHARGE: 22,
    FailureType.ESCALATION_REQUEST: 22,
    FailureType.POOR_SUPPORT: 20,
    FailureType.LATE_DELIVERY: 18,
    FailureType.SLA_BREACH: 18,
    FailureType.LOW_CSAT: 18,
    FailureType.NEGATIVE_SENTIMENT: 16,
    FailureType.TECHNICAL_DIFFICULTY: 15,
    FailureType.REOPENED: 14,
    FailureType.LONG_WAIT: 12,
    FailureType.REPEAT_CONTACT: 12,
    FailureType.HANDOFFS: 10,
}

# Failures of our own making: a customer forgives these less.
PREVENTABLE = frozenset(
    {
        FailureType.SLA_BREACH,
        FailureType.LONG_WAIT,
        FailureType.HANDOFFS,
        FailureType.POOR_SUPPORT,
        FailureType.OVERCHARGE,
        FailureType.REOPENED,
        FailureType.REPEAT_CONTACT,
    }
)
PREVENTABLE_POINTS = 10

MAX_SIZE_POINTS = 25
# Overcharges: absolute bands (amount at least -> points), largest first.
AMOUNT_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal("1000"), 20),
    (Decimal("500"), 16),
    (Decimal("100"), 10),
    (Decimal("50"), 6),
    (Decimal("10"), 3),
)
# ...and relative to lifetime value: half of it or more is the maximum.
AMOUNT_SHARE_POINTS = 50

PRIOR_FAILURE_POINTS = 7
MAX_PRIOR_FAILURE_POINTS = 28

TIER_POINTS: dict[str, int] = {Tier.STANDARD: 0, Tier.GOLD: 8, Tier.PLATINUM: 15}
LIFETIME_VALUE_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal("20000"), 10),
    (Decimal("5000"), 6),
    (Decimal("1000"), 3),
)
# Hours a case has waited since detection -> points, longest first.
WAITING_BANDS: tuple[tuple[float, int], ...] = ((72, 10), (24, 6), (4, 3))

REPEATED_SIGNAL_POINTS = 3
MAX_REPEATED_SIGNAL_POINTS = 9

# Compound sentiment -> points: linear from 0 (neutral) to this at -1 (furious).
SENTIMENT_POINTS = 15
# Caught before the customer felt it: the failure is still only a risk.
PROACTIVE_DISCOUNT = 10

# Recovery chance, in percentage points.
CHANCE_BASELINE = 80
CHANCE_PER_SEVERITY_POINT = 0.35
CHANCE_ONE_OFF = 5
CHANCE_PER_PRIOR_FAILURE = 10
CHANCE_MAX_PRIOR_PENALTY = 30
CHANCE_SEVERE_PREVENTABLE = 10
SEVERE = 60
CHANCE_FAST_HOURS = 4
CHANCE_FAST = 10
CHANCE_SLOW_BANDS: tuple[tuple[float, int], ...] = ((72, 10), (24, 5))
CHANCE_PER_REPEATED_SIGNAL = 5
CHANCE_MAX_REPEATED_PENALTY = 15
CHANCE_CAUGHT_EARLY = 10


@dataclass(frozen=True)
class ScoreInputs:
    failure_type: str
    facts: dict[str, Any] = field(default_factory=dict)
    tier: str = Tier.STANDARD
    lifetime_value: Decimal = Decimal("0")
    prior_failures: int = 0  # the customer's other cases in the past 12 months
    waited_hours: float = 0.0  # since the case was detected
    signal_count: int = 1
    sentiment: float | None = None  # most negative compound score read, -1..1
    proactive: bool = False  # caught before the failure happened


@dataclass(frozen=True)
class Reason:
    factor: str
    points: int
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        """A sentence in the active language."""
        return describe(self.factor, self.data)

    def as_dict(self) -> dict[str, Any]:
        """What a case stores: the detail in English, the data to say it again in any language."""
        with translation.override("en"):
            detail = self.detail
        return {"factor": self.factor, "points": self.points, "detail": detail, "data": self.data}


@dataclass(frozen=True)
class Score:
    total: int
    reasons: tuple[Reason, ...]

    def reasons_as_dicts(self) -> list[dict[str, Any]]:
        return [reason.as_dict() for reason in self.reasons]


def severity(inputs: ScoreInputs) -> Score:
    """How serious the failure is, 0-100, with a reason per factor that counted."""
    reasons = [
        Reason(
            "failure_type",
            BASE_POINTS.get(inputs.failure_type, 10),
            {"failure_type": inputs.failure_type},
        )
    ]
    reasons += _size_reasons(inputs)
    if inputs.failure_type in PREVENTABLE:
        reasons.append(Reason("preventable", PREVENTABLE_POINTS))
    if inputs.prior_failures > 0:
        points = min(MAX_PRIOR_FAILURE_POINTS, PRIOR_FAILURE_POINTS * inputs.prior_failures)
        reasons.append(Reason("prior_failures", points, {"count": inputs.prior_failures}))
    tier_points = TIER_POINTS.get(inputs.tier, 0)
    if tier_points:
        reasons.append(Reason("tier", tier_points, {"tier": inputs.tier}))
    ltv_points = _band(inputs.lifetime_value, LIFETIME_VALUE_BANDS)
    if ltv_points:
        reasons.append(
            Reason("lifetime_value", ltv_points, {"lifetime_value": str(inputs.lifetime_value)})
        )
    waiting_points = _band(inputs.waited_hours, WAITING_BANDS)
    if waiting_points:
        reasons.append(Reason("waiting", waiting_points, {"hours": int(inputs.waited_hours)}))
    if inputs.signal_count > 1:
        points = min(MAX_REPEATED_SIGNAL_POINTS, REPEATED_SIGNAL_POINTS * (inputs.signal_count - 1))
        reasons.append(Reason("repeated_signals", points, {"count": inputs.signal_count}))
    sentiment_points = _sentiment_points(inputs.sentiment)
    if sentiment_points:
        reasons.append(
            Reason("sentiment", sentiment_points, {"compound": round(inputs.sentiment or 0, 2)})
        )
    if inputs.proactive:
        reasons.append(Reason("proactive", -PROACTIVE_DISCOUNT))
    return Score(_clamp(sum(r.points for r in reasons)), tuple(reasons))


def recovery_chance(inputs: ScoreInputs, *, severity_total: int) -> Score:
    """How likely a good recovery wins the customer back, 0-100 %, with reasons."""
    reasons = [Reason("baseline", CHANCE_BASELINE)]
    severity_penalty = round(severity_total * CHANCE_PER_SEVERITY_POINT)
    if severity_penalty:
        reasons.append(Reason("severity", -severity_penalty, {"severity": severity_total}))
    if inputs.prior_failures == 0:
        reasons.append(Reason("one_off", CHANCE_ONE_OFF))
    else:
        penalty = min(CHANCE_MAX_PRIOR_PENALTY, CHANCE_PER_PRIOR_FAILURE * inputs.prior_failures)
        reasons.append(Reason("repeat_failures", -penalty, {"count": inputs.prior_failures}))
    if inputs.failure_type in PREVENTABLE and severity_total >= SEVERE:
        reasons.append(Reason("severe_preventable", -CHANCE_SEVERE_PREVENTABLE))
    if inputs.waited_hours < CHANCE_FAST_HOURS:
        reasons.append(Reason("handled_fast", CHANCE_FAST, {"hours": int(inputs.waited_hours)}))
    else:
        slow = _band(inputs.waited_hours, CHANCE_SLOW_BANDS)
        if slow:
            reasons.append(Reason("handled_slowly", -slow, {"hours": int(inputs.waited_hours)}))
    if inputs.signal_count > 1:
        penalty = min(
            CHANCE_MAX_REPEATED_PENALTY, CHANCE_PER_REPEATED_SIGNAL * (inputs.signal_count - 1)
        )
        reasons.append(Reason("kept_happening", -penalty, {"count": inputs.signal_count}))
    if inputs.proactive:
        reasons.append(Reason("caught_early", CHANCE_CAUGHT_EARLY))
    return Score(_clamp(sum(r.points for r in reasons)), tuple(reasons))


def _size_reasons(inputs: ScoreInputs) -> list[Reason]:
    facts = inputs.facts
    reasons = []
    hours_waited = fact_number(facts, "hours_waited")
    if hours_waited is not None:
        promised = fact_number(facts, "promised_hours") or 0.0
        over = max(0.0, hours_waited - promised)
        points = _log_points(over / 2, 6)
        if points:
            reasons.append(
                Reason(
                    "hours_late",
                    points,
                    {"hours_waited": _num(hours_waited), "promised_hours": _num(promised)},
                )
            )
    days_late = fact_number(facts, "days_late")
    if days_late:
        points = _log_points(days_late, 8)
        if points:
            reasons.append(Reason("days_late", points, {"days": _num(days_late)}))
    amount = fact_amount(facts)
    if amount:
        points = _band(amount, AMOUNT_BANDS)
        data: dict[str, Any] = {"amount": str(amount), "currency": facts.get("currency", "")}
        if inputs.lifetime_value > 0:
            share = amount / inputs.lifetime_value
            data["share_of_lifetime_value"] = int(min(share, Decimal(10)) * 100)
            points = max(points, min(MAX_SIZE_POINTS, int(share * AMOUNT_SHARE_POINTS)))
        if points:
            reasons.append(Reason("amount", points, data))
    return reasons


def _sentiment_points(compound: float | None) -> int:
    """More upset reads score more: linear in how far below neutral the message is."""
    if compound is None or compound >= 0:
        return 0
    return round(SENTIMENT_POINTS * min(1.0, -compound))


def _log_points(x: float, weight: float) -> int:
    """Grows fast for the first hours or days, then flattens; capped at the size maximum."""
    return min(MAX_SIZE_POINTS, round(weight * math.log2(1 + x)))


def _band(value: float | Decimal, bands: tuple[tuple[Any, int], ...]) -> int:
    for threshold, points in bands:
        if value >= threshold:
            return points
    return 0


def _clamp(total: int) -> int:
    return max(0, min(100, total))


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# --- reasons in words ---------------------------------------------------------


def describe(factor: str, data: dict[str, Any]) -> str:
    """One reason as a sentence in the active language; unknown factors read as their name."""
    describer = _DESCRIBERS.get(factor)
    if describer is None:
        return factor
    try:
        return describer(data)
    except (KeyError, TypeError, ValueError):  # reasons stored by an older version
        return factor


def reasons_for_display(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored reasons with their detail said again in the active language."""
    return [
        {
            "factor": reason.get("factor", ""),
            "points": reason.get("points", 0),
            "detail": describe(reason.get("factor", ""), reason["data"])
            if isinstance(reason.get("data"), dict)
            else reason.get("detail", ""),
        }
        for reason in stored or []
    ]


def _duration(hours: int) -> str:
    """Hours up to two days, then days."""
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _describe_failure_type(data: dict[str, Any]) -> str:
    value = data["failure_type"]
    label = FailureType(value).label if value in FailureType.values else value
    return _("Kind of failure: %(type)s.") % {"type": label}


def _describe_hours_late(data: dict[str, Any]) -> str:
    if data.get("promised_hours"):
        return _("Waited %(waited)s hours against a promise of %(promised)s hours.") % {
            "waited": data["hours_waited"],
            "promised": data["promised_hours"],
        }
    return _("Waited %(waited)s hours.") % {"waited": data["hours_waited"]}


def _describe_amount(data: dict[str, Any]) -> str:
    amount = f"{data['amount']} {data.get('currency', '')}".strip()
    if "share_of_lifetime_value" in data:
        return _("Overcharged %(amount)s, %(share)s%% of the customer's lifetime value.") % {
            "amount": amount,
            "share": data["share_of_lifetime_value"],
        }
    return _("Overcharged %(amount)s.") % {"amount": amount}


def _describe_tier(data: dict[str, Any]) -> str:
    value = data["tier"]
    label = Tier(value).label if value in Tier.values else value
    return _("%(tier)s customer.") % {"tier": label}


_DESCRIBERS = {
    "failure_type": _describe_failure_type,
    "hours_late": _describe_hours_late,
    "days_late": lambda d: _("Arrived %(days)s days late.") % {"days": d["days"]},
    "amount": _describe_amount,
    "preventable": lambda d: _("The failure was within our control."),
    "prior_failures": lambda d: (
        ngettext(
            "%(count)d earlier failure in the past 12 months.",
            "%(count)d earlier failures in the past 12 months.",
            d["count"],
        )
        % {"count": d["count"]}
    ),
    "tier": _describe_tier,
    "lifetime_value": lambda d: _("Lifetime value of %(value)s.") % {"value": d["lifetime_value"]},
    "waiting": lambda d: (
        _("The case has waited %(time)s since it was detected.") % {"time": _duration(d["hours"])}
    ),
    "repeated_signals": lambda d: _("Reported %(count)d times.") % {"count": d["count"]},
    "baseline": lambda d: _("Most customers stay after a prompt, sincere recovery."),
    "severity": lambda d: (
        _("Severity %(severity)d lowers the chance.") % {"severity": d["severity"]}
    ),
    "one_off": lambda d: _("The customer's first failure in 12 months."),
    "repeat_failures": lambda d: (
        ngettext(
            "%(count)d earlier failure makes trust harder to win back.",
            "%(count)d earlier failures make trust harder to win back.",
            d["count"],
        )
        % {"count": d["count"]}
    ),
    "severe_preventable": lambda d: _("A severe failure we could have prevented."),
    "handled_fast": lambda d: _("Picked up within hours of the failure."),
    "handled_slowly": lambda d: (
        _("Waited %(time)s before being handled.") % {"time": _duration(d["hours"])}
    ),
    "kept_happening": lambda d: (
        _("The failure kept happening (%(count)d reports).") % {"count": d["count"]}
    ),
    "sentiment": lambda d: (
        _("The customer's message reads as upset (sentiment %(compound)s on a scale of -1 to 1).")
        % {"compound": d["compound"]}
    ),
    "proactive": lambda d: _("Caught before the customer felt the failure."),
    "caught_early": lambda d: _("Reaching out before the failure is felt keeps trust."),
}
