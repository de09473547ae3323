"""The severity score and the recovery chance: explained, bounded and monotonic."""

from decimal import Decimal

from accounts.models import Tier
from recovery.scoring import ScoreInputs, recovery_chance, severity


def score(**kwargs) -> int:
    return severity(ScoreInputs(**{"failure_type": "sla_breach", **kwargs})).total


def factors(result) -> dict[str, int]:
    return {reason.factor: reason.points for reason in result.reasons}


def test_it_explains_every_point_of_the_score():
    result = severity(
        ScoreInputs(
            failure_type="overcharge",
            facts={"amount": "120.00", "currency": "EUR"},
            tier=Tier.GOLD,
            lifetime_value=Decimal("2400"),
            prior_failures=1,
            waited_hours=30,
        )
    )

    assert factors(result) == {
        "failure_type": 22,
        "amount": 10,  # 120 is in the 100+ band; 5% of lifetime value is less
        "preventable": 10,
        "prior_failures": 7,
        "tier": 8,
        "lifetime_value": 3,
        "waiting": 6,
    }
    assert result.total == sum(factors(result).values()) == 66
    assert all(reason.detail for reason in result.reasons)


def test_more_hours_past_the_promise_score_higher():
    def at(hours):
        return score(facts={"promised_hours": 4, "hours_waited": hours})

    assert at(4) < at(6) < at(10) < at(30) < at(60)


def test_hours_within_the_promise_add_nothing():
    result = severity(
        ScoreInputs(failure_type="long_wait", facts={"promised_hours": 24, "hours_waited": 20})
    )
    assert "hours_late" not in factors(result)


def test_more_days_late_scores_higher():
    def at(days):
        return score(failure_type="late_delivery", facts={"days_late": days})

    assert at(0) < at(1) < at(3) < at(7)


def test_a_larger_overcharge_scores_higher_and_more_so_for_a_small_customer():
    def at(amount, ltv="0"):
        return score(
            failure_type="overcharge", facts={"amount": amount}, lifetime_value=Decimal(ltv)
        )

    assert at("5.00") < at("60.00") < at("150.00") < at("1200.00")
    assert at("60.00", ltv="100") > at("60.00", ltv="100000")


def test_more_prior_failures_score_higher():
    assert (
        score(prior_failures=0)
        < score(prior_failures=1)
        < score(prior_failures=2)
        < score(prior_failures=3)
    )


def test_a_higher_tier_scores_higher():
    assert score(tier=Tier.STANDARD) < score(tier=Tier.GOLD) < score(tier=Tier.PLATINUM)


def test_a_longer_wait_since_detection_scores_higher():
    assert (
        score(waited_hours=1)
        < score(waited_hours=5)
        < score(waited_hours=30)
        < score(waited_hours=100)
    )


def test_preventable_failures_score_higher_than_the_same_base_otherwise():
    # late_delivery and sla_breach share a base of 18; only sla_breach was ours to prevent.
    assert score(failure_type="sla_breach") == score(failure_type="late_delivery") + 10


def test_the_score_stays_between_0_and_100():
    worst = severity(
        ScoreInputs(
            failure_type="defective_product",
            facts={"amount": "9999.00", "days_late": 300, "hours_waited": 5000},
            tier=Tier.PLATINUM,
            lifetime_value=Decimal("100000"),
            prior_failures=40,
            waited_hours=10_000,
            signal_count=20,
        )
    )
    assert worst.total == 100
    assert 0 <= score(failure_type="handoffs") <= 100


def test_a_minor_one_off_handled_fast_is_likely_recovered():
    inputs = ScoreInputs(failure_type="handoffs", waited_hours=1)
    result = recovery_chance(inputs, severity_total=severity(inputs).total)

    assert result.total >= 80
    assert {"one_off", "handled_fast"} <= set(factors(result))


def test_a_severe_repeat_preventable_failure_is_unlikely_recovered():
    inputs = ScoreInputs(
        failure_type="overcharge",
        facts={"amount": "900.00"},
        tier=Tier.PLATINUM,
        prior_failures=4,
        waited_hours=100,
    )
    result = recovery_chance(inputs, severity_total=severity(inputs).total)

    assert result.total <= 20
    assert {"repeat_failures", "severe_preventable", "handled_slowly"} <= set(factors(result))
    assert 0 <= result.total <= 100


def test_stored_reasons_keep_their_data_to_be_said_in_any_language():
    reason = severity(ScoreInputs(failure_type="low_csat", prior_failures=2)).reasons[1].as_dict()

    assert reason == {
        "factor": "prior_failures",
        "points": 14,
        "detail": "2 earlier failures in the past 12 months.",
        "data": {"count": 2},
    }


def test_a_more_upset_message_scores_higher():
    assert (
        score(sentiment=None)
        == score(sentiment=0.6)  # a happy message adds nothing
        == score(sentiment=0.0)
        < score(sentiment=-0.3)
        < score(sentiment=-0.6)
        < score(sentiment=-0.9)
        < score(sentiment=-1.0)
    )


def test_the_sentiment_reason_says_how_upset_and_what_it_added():
    result = severity(ScoreInputs(failure_type="negative_sentiment", sentiment=-0.8123))

    assert factors(result)["sentiment"] == 12  # 15 points at -1, linear
    reason = next(r for r in result.reasons if r.factor == "sentiment").as_dict()
    assert reason["data"] == {"compound": -0.81}
    assert reason["detail"] == (
        "The customer's message reads as upset (sentiment -0.81 on a scale of -1 to 1)."
    )


def test_a_failure_caught_before_it_happens_scores_lower_and_is_likelier_recovered():
    caught = ScoreInputs(failure_type="sla_breach", tier=Tier.GOLD, proactive=True)
    happened = ScoreInputs(failure_type="sla_breach", tier=Tier.GOLD)

    assert severity(caught).total == severity(happened).total - 10
    caught_chance = recovery_chance(caught, severity_total=severity(caught).total)
    happened_chance = recovery_chance(happened, severity_total=severity(happened).total)
    assert caught_chance.total > happened_chance.total
    assert "caught_early" in factors(caught_chance)
