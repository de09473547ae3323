"""Demo survey answers for `seed_demo`. Idempotent: a ticket that already has a
survey is skipped."""

import random
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from surveys import services
from surveys.models import Survey, SurveyKind
from tickets.models import Status, Ticket

ANSWER_RATE = 70  # per cent of solved tickets whose customers answer

COMMENTS = {
    "en": {
        "high": [
            "Quick and friendly, thank you!",
            "Solved on the first reply. Great service.",
            "Alex was very patient with me.",
            "",
        ],
        "mid": [
            "Fixed in the end, but it took a few emails.",
            "OK, although I had to explain the problem twice.",
            "",
        ],
        "low": [
            "Took far too long to get an answer.",
            "I was passed between three people and nobody owned it.",
            "The problem is still not really fixed.",
        ],
    },
    "es": {
        "high": ["¡Rápido y amable, gracias!", "Resuelto a la primera.", ""],
        "mid": ["Se resolvió, pero tardó bastante.", ""],
        "low": ["Tardaron demasiado en responder.", "Sigo con el mismo problema."],
    },
}


def _score(kind: str, rng: random.Random) -> int:
    # Skewed towards happy customers, with a tail of unhappy ones.
    if kind == SurveyKind.NPS:
        return rng.choices(range(11), weights=[2, 1, 1, 2, 2, 4, 5, 8, 14, 18, 16])[0]
    if kind == SurveyKind.EFFORT:
        return rng.choices(range(1, 8), weights=[3, 4, 6, 10, 18, 25, 20])[0]
    return rng.choices(range(1, 6), weights=[6, 6, 12, 30, 46])[0]


def _comment(kind: str, score: int, language: str, rng: random.Random) -> str:
    low, high = {SurveyKind.NPS: (0, 10), SurveyKind.EFFORT: (1, 7)}.get(kind, (1, 5))
    share = (score - low) / (high - low)
    mood = "low" if share < 0.4 else "mid" if share < 0.75 else "high"
    return rng.choice(COMMENTS.get(language, COMMENTS["en"])[mood])


def _answers(ticket: Ticket) -> bool:
    """Whether this ticket's customer answers: fixed per ticket, not drawn from `rng`,
    so running the seed again picks the same tickets and adds nothing."""
    return (ticket.pk * 2654435761) % 100 < ANSWER_RATE


def seed_responses(*, tickets: Iterable[Ticket], rng: random.Random) -> int:
    """Answered surveys for most of the solved or closed `tickets`; returns how many.

    Tickets that already have a survey are skipped, so a second run adds none.
    """
    candidates = [
        t for t in tickets if t.status in (Status.SOLVED, Status.CLOSED) and t.solved_at is not None
    ]
    surveyed = set(
        Survey.objects.filter(ticket__in=[t.pk for t in candidates]).values_list(
            "ticket_id", flat=True
        )
    )
    now = timezone.now()
    created = 0
    for ticket in candidates:
        if ticket.pk in surveyed or not _answers(ticket):
            continue
        # Draws fixed per ticket: a second run decides exactly as the first did.
        rng = random.Random(f"{ticket.pk}-survey")
        kind = rng.choices([SurveyKind.CSAT, SurveyKind.NPS, SurveyKind.EFFORT], weights=[8, 1, 1])[
            0
        ]
        sent_at = ticket.solved_at + timedelta(hours=1)
        answered_at = sent_at + timedelta(minutes=rng.randint(5, 3 * 24 * 60))
        if answered_at > now:
            continue  # solved too recently for an answer to be in
        survey = services.survey_create(ticket=ticket, kind=kind, scheduled_for=sent_at)
        services.survey_mark_sent(survey=survey, at=sent_at)
        score = _score(kind, rng)
        services.survey_answer(
            survey=survey,
            score=score,
            comment=_comment(kind, score, ticket.requester.language, rng),
            at=answered_at,
            announce=False,  # history: no low-score events or alerts for old answers
        )
        created += 1
    return created
