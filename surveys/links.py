"""Signed, expiring links to a survey: no login needed, so the link is the key.

A link carries the survey's random `token` signed with a timestamp
(`TimestampSigner`, salted for this use only). It opens the answer page, or
with a score records that score in one click. It stops working after
SURVEY_EXPIRY_DAYS, and the survey's own `expires_at` closes it too.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk.errors import ApplicationError
from surveys import timing
from surveys.models import Survey

SALT = "surveys.link"


class InvalidLink(ApplicationError):
    """Not a link we made: mistyped, cut short or tampered with."""

    status_code = 400


class LinkExpired(ApplicationError):
    """A genuine link past its lifetime, or to a survey that has closed."""

    status_code = 410


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def survey_link_token(survey: Survey) -> str:
    """A fresh signed token for `survey`; valid for the answer window from now."""
    return _signer().sign(survey.token)


def survey_token_unsign(link_token: str) -> str:
    """The survey's own token inside a signed one. Raises InvalidLink or LinkExpired."""
    try:
        return _signer().unsign(link_token, max_age=timing.answer_window())
    except signing.SignatureExpired:
        raise LinkExpired(_("This survey link has expired.")) from None
    except signing.BadSignature:
        raise InvalidLink(_("This survey link is not valid.")) from None


def survey_answer_path(survey: Survey, *, link_token: str | None = None) -> str:
    """The answer page, such as /surveys/<token>/: what the portal and emails link to."""
    return reverse("surveys:answer", args=[link_token or survey_link_token(survey)])


def survey_answer_url(survey: Survey, *, link_token: str | None = None) -> str:
    return settings.SITE_URL + survey_answer_path(survey, link_token=link_token)


def survey_rate_url(survey: Survey, score: int, *, link_token: str) -> str:
    """The one-click link that records `score`."""
    return settings.SITE_URL + reverse("surveys:rate", args=[link_token, score])
