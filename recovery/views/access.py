"""The few access checks recovery pages share, and turning domain errors into 4xx."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, NotFound
from recovery import selectors
from recovery.models import RecoveryCase
from tickets.models import Ticket
from tickets.selectors import ticket_get_for


def access_manager_pages(user: User) -> None:
    """The dashboards and settings are for managers (and admins); others get 403."""
    if not user.is_active or not user.is_manager:
        raise PermissionDenied


def access_recovery_queue(user: User) -> None:
    """Any active member of staff works recovery cases."""
    if not user.is_active or not user.is_agent:
        raise PermissionDenied


def case_or_404(request: HttpRequest, case_id: int) -> RecoveryCase:
    try:
        return selectors.case_get_for(user=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None


def ticket_or_404(request: HttpRequest, ticket_id) -> Ticket:
    """A ticket the user may see; a missing and a forbidden one both read 404."""
    try:
        return ticket_get_for(user=request.user, ticket_id=ticket_id)
    except NotFound:
        raise Http404 from None


def report_error(request: HttpRequest, error: ApplicationError, form=None) -> int:
    """Shows a domain error (on the form's field when it has one) and returns its status."""
    if isinstance(error, NotFound):
        raise Http404(error.message) from error
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    elif form is not None:
        form.add_error(None, error.message)
    messages.error(
        request, error.message if form is None else _("Please correct the errors below.")
    )
    return error.status_code
