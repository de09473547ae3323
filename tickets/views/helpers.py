"""What every ticket view shares: access checks, turning domain errors into
feedback, partial rendering for htmx, and the timeline as people read it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import Team, User
from helpdesk.errors import ApplicationError, NotFound
from tickets import events, selectors
from tickets.models import Category, Message, Priority, Status, Ticket, TicketEvent

PAGE_SIZE = 25

View = Callable[..., HttpResponse]


# --- access -----------------------------------------------------------------------


def _to_login(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        # An expired session inside an htmx request: send the whole page to the
        # login form, not the login form into a fragment.
        back = request.htmx.current_url_abs_path or request.get_full_path()
        return HttpResponseClientRedirect(redirect_to_login(back).url)
    return redirect_to_login(request.get_full_path())


def agent_required(view: View) -> View:
    """Staff only. Anonymous people go to the login page; customers find nothing here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        if not request.user.is_agent:
            raise Http404("Not an agent page for this user.")
        return view(request, *args, **kwargs)

    return wrapper


def customer_required(view: View) -> View:
    """Customers only. Staff are sent to the same ticket (or the queues) in the agent workspace."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        if request.user.is_agent:
            if "pk" in kwargs and request.resolver_match.url_name == "ticket":
                return redirect("agent:ticket", pk=kwargs["pk"])
            return redirect("agent:queue")
        return view(request, *args, **kwargs)

    return wrapper


def login_required(view: View) -> View:
    """Any logged-in person; what they may reach is up to the selector the view calls."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        return view(request, *args, **kwargs)

    return wrapper


def ticket_or_404(request: HttpRequest, pk: int) -> Ticket:
    """The ticket, if this user may see it; a missing and a forbidden ticket both read 404."""
    try:
        return selectors.ticket_get_for(user=request.user, ticket_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


# --- errors -------------------------------------------------------------------------


def report_error(
    request: HttpRequest, error: ApplicationError, *, form: forms.Form | None = None
) -> int:
    """Shows a domain error to the person and returns the 4xx status to re-render with.

    NotFound becomes the 404 page. Any other error goes onto the form (on its
    field when the form has one by that name) or, without a form, into the
    page's messages.
    """
    if isinstance(error, NotFound):
        raise Http404(error.message) from error
    if form is not None:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        messages.error(request, _("Please correct the errors below."))
    else:
        messages.error(request, error.message)
    return error.status_code


def form_invalid(request: HttpRequest) -> int:
    """Flags a form that failed its shape checks; returns the status to re-render with."""
    messages.error(request, _("Please correct the errors below."))
    return 400


# --- rendering --------------------------------------------------------------------


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """The page, or only its `partial` for an htmx request (Django template partials).

    htmx restoring history after a cache miss wants the whole page.
    """
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def paginate(request: HttpRequest, items: QuerySet) -> Page:
    """One page of `items`: a COUNT plus one query for the rows (and their prefetches)."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# --- the timeline -------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    """One timeline entry as the page shows it."""

    kind: str  # "customer", "reply", "note" or "event"
    item: Message | TicketEvent
    summary: str = ""

    @property
    def is_message(self) -> bool:
        return self.kind != "event"


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _person(people: dict[int, User], pk) -> str:
    person = people.get(pk)
    return person.display_name if person else _("a former colleague")


def describe_event(event: TicketEvent, *, people: dict[int, User], teams: dict[int, Team]) -> str:
    """One sentence for a system event, in the reader's language."""
    actor = event.actor.display_name if event.actor else _("The system")
    data = event.data
    values = {"actor": actor}
    if event.type == events.STATUS_CHANGED:
        values |= {"from": _label(Status, data.get("from")), "to": _label(Status, data.get("to"))}
        return _("%(actor)s changed the status from %(from)s to %(to)s.") % values
    if event.type == events.PRIORITY_CHANGED:
        values |= {
            "from": _label(Priority, data.get("from")),
            "to": _label(Priority, data.get("to")),
        }
        return _("%(actor)s changed the priority from %(from)s to %(to)s.") % values
    if event.type == events.CATEGORY_CHANGED:
        values |= {
            "from": _label(Category, data.get("from")),
            "to": _label(Category, data.get("to")),
        }
        return _("%(actor)s changed the category from %(from)s to %(to)s.") % values
    if event.type == events.ASSIGNED:
        if data.get("to") is None:
            return _("%(actor)s unassigned the ticket.") % values
        values["to"] = _person(people, data["to"])
        return _("%(actor)s assigned the ticket to %(to)s.") % values
    if event.type == events.TEAM_CHANGED:
        team = teams.get(data.get("to"))
        if team is None:
            return _("%(actor)s removed the ticket from its team.") % values
        return _("%(actor)s moved the ticket to the %(team)s team.") % (values | {"team": team})
    if event.type == events.TAGS_CHANGED:
        parts = []
        if data.get("added"):
            parts.append(_("added the tags %(tags)s") % {"tags": ", ".join(data["added"])})
        if data.get("removed"):
            parts.append(_("removed the tags %(tags)s") % {"tags": ", ".join(data["removed"])})
        return _("%(actor)s %(changes)s.") % (values | {"changes": _(" and ").join(parts)})
    if event.type == events.SUBJECT_CHANGED:
        return _("%(actor)s changed the subject to “%(to)s”.") % (values | {"to": data.get("to")})
    return _("%(actor)s changed the ticket.") % values


def timeline_rows(
    *, ticket: Ticket, entries: Iterable[selectors.TimelineEntry]
) -> list[TimelineRow]:
    """The timeline with each entry classified and each event put in words.

    People and teams that events name are loaded in one query each, so the
    page runs the same number of queries however long the timeline is.
    """
    entries = list(entries)
    person_ids, team_ids = set(), set()
    for entry in entries:
        if entry.kind == "event":
            if entry.item.type == events.ASSIGNED:
                person_ids.add(entry.item.data.get("to"))
            elif entry.item.type == events.TEAM_CHANGED:
                team_ids.add(entry.item.data.get("to"))
    person_ids.discard(None)
    team_ids.discard(None)
    people = User.objects.in_bulk(person_ids) if person_ids else {}
    teams = Team.objects.in_bulk(team_ids) if team_ids else {}

    rows = []
    for entry in entries:
        item = entry.item
        if entry.kind == "event":
            rows.append(
                TimelineRow("event", item, describe_event(item, people=people, teams=teams))
            )
        elif item.internal:
            rows.append(TimelineRow("note", item))
        elif item.author_id == ticket.requester_id or (item.author and item.author.is_customer):
            rows.append(TimelineRow("customer", item))
        else:
            rows.append(TimelineRow("reply", item))
    return rows
