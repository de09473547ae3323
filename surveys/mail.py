"""Outbound survey email: the survey (and its one reminder) to the customer, and
the low-score alert to the team lead or managers.

Surveys are plain text plus HTML, in the customer's language, with a one-click
link for every score and a link to the answer page.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from surveys import links, selectors, timing
from surveys.models import Survey, SurveyResponse


def _header_safe(text: str) -> str:
    """No CR, LF or NUL may reach a header."""
    return " ".join(text.replace("\x00", " ").splitlines()).strip()


def build_survey_email(survey: Survey, *, reminder: bool = False) -> EmailMultiAlternatives:
    """The survey (or its reminder) as an email to its customer.

    Precondition: `survey.expires_at` is set (the caller stamps the send first).
    """
    customer = survey.customer
    ticket = survey.ticket
    language = customer.language or settings.LANGUAGE_CODE
    link_token = links.survey_link_token(survey)
    low, high = survey.score_range
    with translation.override(language):
        wording = selectors.survey_question_get(kind=survey.kind, language=language)
        context = {
            "survey": survey,
            "ticket": ticket,
            "customer": customer,
            "wording": wording,
            "low": low,
            "high": high,
            "reminder": reminder,
            "ratings": [
                {"score": score, "url": links.survey_rate_url(survey, score, link_token=link_token)}
                for score in range(low, high + 1)
            ],
            "answer_url": links.survey_answer_url(survey, link_token=link_token),
            "time_zone": timing.zone_of(customer),
            "LANGUAGE_CODE": language,
        }
        subject = render_to_string("surveys/email/survey_subject.txt", context)
        text = render_to_string("surveys/email/survey.txt", context)
        html = render_to_string("surveys/email/survey.html", context)
    email = EmailMultiAlternatives(
        subject=_header_safe(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[customer.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    return email


def build_low_score_alert(
    survey: Survey, response: SurveyResponse, recipients: list[User]
) -> EmailMultiAlternatives:
    """One plain-text message to all `recipients`, in their language when they share one."""
    languages = {person.language or settings.LANGUAGE_CODE for person in recipients}
    language = languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE
    ticket = survey.ticket
    low, high = survey.score_range
    context = {
        "survey": survey,
        "response": response,
        "ticket": ticket,
        "customer": survey.customer,
        "low": low,
        "high": high,
        "ticket_url": settings.SITE_URL + reverse("agent:ticket", args=[ticket.pk]),
    }
    with translation.override(language):
        subject = render_to_string("surveys/email/low_score_subject.txt", context)
        text = render_to_string("surveys/email/low_score.txt", context)
    return EmailMultiAlternatives(
        subject=_header_safe(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email for person in recipients],
        headers={"Auto-Submitted": "auto-generated"},
    )
