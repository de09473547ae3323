"""Live chat pages: the customer's chat in the portal, the agents' chat queue and chat page.

The conversation itself runs over `/ws/chat/` (tickets.consumers.ChatConsumer,
static/js/chat.js); these pages render what was said so far, and the
portal's form also works without JavaScript.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from helpdesk.errors import ApplicationError
from tickets import selectors, services
from tickets.channels.chat import selectors as chat_selectors
from tickets.channels.chat import services as chat_services
from tickets.channels.chat.forms import ChatLineForm
from tickets.models import Channel, Status, Ticket
from tickets.views.helpers import (
    agent_required,
    customer_required,
    form_invalid,
    paginate,
    report_error,
    template_for,
    ticket_or_404,
)


@customer_required
@require_http_methods(["GET", "POST"])
def portal_chat(request: HttpRequest) -> HttpResponse:
    """The customer's current chat (or an empty one to start); POST says one line."""
    ticket = chat_selectors.chat_current_for(user=request.user)
    form = ChatLineForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if not form.is_valid():
            status = form_invalid(request)
        else:
            try:
                chat_services.chat_say(
                    actor=request.user, body=form.cleaned_data["body"], ticket=ticket
                )
            except ApplicationError as error:
                status = report_error(request, error, form=form)
            else:
                return redirect("portal:chat")
    context = {
        "ticket": ticket,
        "lines": selectors.message_list_for(user=request.user, ticket=ticket) if ticket else [],
        "timed_out": bool(
            ticket and ticket.status == Status.NEW and chat_selectors.chat_timed_out(ticket=ticket)
        ),
        "form": form,
    }
    return render(request, "tickets/chat/portal.html", context, status=status)


@agent_required
@require_GET
@vary_on_headers("HX-Request")
def agent_chats(request: HttpRequest) -> HttpResponse:
    """Chats waiting for an agent (oldest first) and the agent's own; refreshed live."""
    context = {
        "page": paginate(request, chat_selectors.chats_waiting(user=request.user)),
        "mine": list(chat_selectors.chats_assigned_to(user=request.user)[:50]),
    }
    return render(request, template_for(request, "tickets/chat/queue.html", "results"), context)


def _chat_or_404(request: HttpRequest, pk: int) -> Ticket:
    ticket = ticket_or_404(request, pk)
    if ticket.channel != Channel.CHAT:
        raise Http404("Not a chat.")
    return ticket


@agent_required
@require_GET
def agent_chat(request: HttpRequest, pk: int) -> HttpResponse:
    """One chat, live: the transcript (internal notes included) and a line to answer."""
    ticket = _chat_or_404(request, pk)
    context = {
        "ticket": ticket,
        "lines": selectors.message_list_for(user=request.user, ticket=ticket),
        "timed_out": chat_selectors.chat_timed_out(ticket=ticket),
        "form": ChatLineForm(),
    }
    return render(request, "tickets/chat/agent.html", context)


@agent_required
@require_POST
def agent_chat_pickup(request: HttpRequest, pk: int) -> HttpResponse:
    """Assigns the chat to this agent: it leaves the waiting list and cannot time out."""
    ticket = _chat_or_404(request, pk)
    try:
        services.ticket_update(actor=request.user, ticket=ticket, assignee=request.user)
    except ApplicationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("You picked up this chat."))
    return redirect("agent:chat", pk=ticket.pk)
