"""Writes to people."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from helpdesk.errors import ApplicationError


def customer_get_or_create(*, email: str, full_name: str = "", language: str | None = None) -> User:
    """The customer with this email, created (without a usable password) if new.

    A new customer whose email domain belongs to an organisation joins it.
    Safe under concurrent calls for the same address.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if not email or "@" not in email:
        raise ApplicationError(_("Enter a valid email address."), field="requester")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    domain = email.rsplit("@", 1)[1]
    organisation = Organisation.objects.filter(domain__iexact=domain).first() if domain else None
    fields = {"full_name": full_name[:150], "role": Role.CUSTOMER, "organisation": organisation}
    if language:
        fields["language"] = language
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password=None, **fields)
    except IntegrityError:
        # Someone else created it a moment ago.
        return User.objects.get(email__iexact=email)
