"""The agent workspace: queues and the ticket page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from helpdesk.errors import ApplicationError
from tickets import extensions, selectors, services
from tickets.forms import AgentReplyForm, QueueFilterForm, TicketPropertiesForm
from tickets.models import Ticket
from tickets.selectors import QueueView
from tickets.views.helpers import (
    agent_required,
    form_invalid,
    paginate,
    report_error,
    template_for,
    ticket_or_404,
    timeline_rows,
)


@agent_required
@require_GET
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    """A named queue, filtered, sorted and paginated; htmx gets just the results.

    Other apps add filters through `tickets.extensions` (SLA: breached, due soon).
    """
    form = QueueFilterForm(request.GET, extra_filters=extensions.queue_filters())
    arguments = form.queue_arguments(default_view=QueueView.OPEN)
    tickets = selectors.ticket_queue(user=request.user, **arguments)
    tickets = extensions.apply_queue_filters(tickets, request.GET)
    context = {
        "form": form,
        "page": paginate(request, tickets),
        "current_view": arguments["view"],
        "views": QueueFilterForm.VIEW_CHOICES,
        "filtered": form.is_filtered(),
    }
    return render(request, template_for(request, "tickets/agent/queue.html", "results"), context)


def _render_ticket(
    request: HttpRequest,
    ticket: Ticket,
    *,
    reply_form: AgentReplyForm | None = None,
    properties_form: TicketPropertiesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = selectors.ticket_timeline(user=request.user, ticket=ticket)
    context = {
        "ticket": ticket,
        "timeline": timeline_rows(ticket=ticket, entries=entries),
        "other_tickets": selectors.customer_other_tickets(user=request.user, ticket=ticket),
        "reply_form": reply_form or AgentReplyForm(),
        "properties_form": properties_form or TicketPropertiesForm(ticket=ticket),
        # Panels other apps registered in `tickets.extensions` (SLA clocks, ...).
        "panels": extensions.ticket_panels(request, ticket),
    }
    template = template_for(request, "tickets/agent/ticket.html", "workspace")
    return render(request, template, context, status=status)


@agent_required
@require_GET
@vary_on_headers("HX-Request")
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_ticket(request, ticket_or_404(request, pk))


@agent_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A public reply (emailed to the requester) or an internal note."""
    ticket = ticket_or_404(request, pk)
    form = AgentReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_ticket(request, ticket, reply_form=form, status=form_invalid(request))
    try:
        message = services.message_add(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
            attachments=form.cleaned_data["attachments"],
        )
    except ApplicationError as error:
        status = report_error(request, error, form=form)
        return _render_ticket(request, ticket, reply_form=form, status=status)
    if message.internal:
        messages.success(request, _("Internal note added."))
    else:
        messages.success(request, _("Reply sent to %(email)s.") % {"email": ticket.requester.email})
    # htmx follows the redirect and swaps in the refreshed workspace.
    return redirect("agent:ticket", pk=ticket.pk)


@agent_required
@require_POST
def ticket_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Status, priority, category, assignee, team and tags: only what this agent changed."""
    ticket = ticket_or_404(request, pk)
    form = TicketPropertiesForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _render_ticket(request, ticket, properties_form=form, status=form_invalid(request))
    changes = form.changes()
    if not changes:
        messages.info(request, _("Nothing changed."))
        return redirect("agent:ticket", pk=ticket.pk)
    try:
        services.ticket_update(actor=request.user, ticket=ticket, **changes)
    except ApplicationError as error:
        status = report_error(request, error, form=form)
        return _render_ticket(request, ticket, properties_form=form, status=status)
    messages.success(request, _("Ticket %(ref)s updated.") % {"ref": ticket.reference})
    return redirect("agent:ticket", pk=ticket.pk)
