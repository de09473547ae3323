"""One customer on one page: their tickets and every contact, across channels.

Contacts are the messages on their tickets, newest first, whatever the
channel (email, portal, chat, SMS, phone calls, API), staff replies and
internal notes included: the page is for staff only.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role, User
from tickets.channels.phone import services as phone_services
from tickets.channels.phone.forms import CustomerCallForm
from tickets.models import Channel, Message, Ticket, TicketEvent
from tickets.views.helpers import agent_required, paginate

MAX_TICKETS_SHOWN = 50


@dataclass(frozen=True)
class Contact:
    message: Message
    kind: str  # "customer", "reply", "note" or "call"
    call: dict | None = None  # a call's direction and duration_minutes


def customer_or_404(request: HttpRequest, pk: int) -> User:
    """The customer, for staff; anyone else (and any id that is not a customer) finds nothing."""
    customer = (
        User.objects.filter(pk=pk, role=Role.CUSTOMER).select_related("organisation").first()
        if request.user.is_agent
        else None
    )
    if customer is None:
        raise Http404("No such customer.")
    return customer


def customer_tickets(*, user: User, customer: User) -> list[Ticket]:
    """Their most recent tickets (one query), assignee joined for the list."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(requester=customer)
        .select_related("assignee")
        .order_by("-created_at", "-id")[: MAX_TICKETS_SHOWN + 1]
    )


def customer_contacts(request: HttpRequest, *, customer: User) -> tuple[Page, list[Contact]]:
    """One page of every message on the customer's tickets, newest first.

    A COUNT, the page (ticket and author joined) and the call details of the
    page's calls: three queries whatever the page holds.
    """
    messages = (
        Message.objects.visible_to(request.user)
        .filter(ticket__requester=customer)
        .select_related("ticket", "author")
        .order_by("-created_at", "-id")
    )
    page = paginate(request, messages)
    rows = list(page.object_list)
    calls: dict[int, dict] = {}
    if rows:
        call_events = TicketEvent.objects.filter(
            type=phone_services.LOGGED, ticket_id__in={m.ticket_id for m in rows}
        ).only("data")
        calls = {event.data.get("message_id"): event.data for event in call_events}
    contacts = []
    for message in rows:
        call = calls.get(message.pk) if message.channel == Channel.PHONE else None
        if call is not None:
            kind = "call"
        elif message.internal:
            kind = "note"
        elif message.author_id == customer.pk:
            kind = "customer"
        else:
            kind = "reply"
        contacts.append(Contact(message, kind, call))
    return page, contacts


def render_customer(
    request: HttpRequest,
    customer: User,
    *,
    call_form: CustomerCallForm | None = None,
    status: int = 200,
) -> HttpResponse:
    tickets = customer_tickets(user=request.user, customer=customer)
    page, contacts = customer_contacts(request, customer=customer)
    active = [ticket for ticket in tickets[:MAX_TICKETS_SHOWN] if ticket.is_active]
    context = {
        "customer": customer,
        "tickets": tickets[:MAX_TICKETS_SHOWN],
        "more_tickets": len(tickets) > MAX_TICKETS_SHOWN,
        "page": page,
        "contacts": contacts,
        "call_form": call_form or CustomerCallForm(tickets=active),
    }
    return render(request, "tickets/customers/detail.html", context, status=status)


@agent_required
@require_GET
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_customer(request, customer_or_404(request, pk))
