"""The customer portal: my tickets, filing a ticket, one ticket's conversation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from helpdesk.errors import ApplicationError
from knowledge_base import services as kb_services
from tickets import selectors, services
from tickets.forms import ReplyForm, TicketCreateForm
from tickets.models import Channel, Status, Ticket
from tickets.views.helpers import (
    customer_required,
    form_invalid,
    paginate,
    report_error,
    template_for,
    ticket_or_404,
    timeline_rows,
)


@customer_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = selectors.ticket_list_for(user=request.user).order_by("-updated_at", "-id")
    return render(request, "tickets/portal/tickets.html", {"page": paginate(request, tickets)})


@customer_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "tickets/portal/new.html", {"form": TicketCreateForm()})
    form = TicketCreateForm(request.POST, request.FILES)
    if not form.is_valid():
        status = form_invalid(request)
        return render(request, "tickets/portal/new.html", {"form": form}, status=status)
    try:
        ticket = services.ticket_create(
            actor=request.user,
            requester=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            channel=Channel.WEB,
            attachments=form.cleaned_data["attachments"],
        )
    except ApplicationError as error:
        status = report_error(request, error, form=form)
        return render(request, "tickets/portal/new.html", {"form": form}, status=status)
    # Suggested articles did not answer it: this visit is not a deflection.
    kb_services.deflection_mark_filed(user=request.user)
    messages.success(
        request,
        _("Thank you: we have your request. Its reference is %(ref)s.") % {"ref": ticket.reference},
    )
    return redirect("portal:ticket", pk=ticket.pk)


def _render_ticket(
    request: HttpRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # Customers' timelines hold messages only, never internal notes: the selector sees to it.
    entries = selectors.ticket_timeline(user=request.user, ticket=ticket)
    context = {
        "ticket": ticket,
        "timeline": timeline_rows(ticket=ticket, entries=entries),
        "reply_form": reply_form or ReplyForm(),
        "can_reply": ticket.status != Status.CLOSED,
        "can_solve": ticket.is_active,
        "can_reopen": ticket.status == Status.SOLVED,
    }
    template = template_for(request, "tickets/portal/ticket.html", "conversation")
    return render(request, template, context, status=status)


@customer_required
@require_GET
@vary_on_headers("HX-Request")
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_ticket(request, ticket_or_404(request, pk))


@customer_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_or_404(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_ticket(request, ticket, reply_form=form, status=form_invalid(request))
    try:
        services.message_add(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
        )
    except ApplicationError as error:
        status = report_error(request, error, form=form)
        return _render_ticket(request, ticket, reply_form=form, status=status)
    if ticket.status == Status.SOLVED:
        messages.success(request, _("Your reply was added and the ticket is open again."))
    else:
        messages.success(request, _("Your reply was added."))
    # htmx follows the redirect and swaps in the refreshed conversation.
    return redirect("portal:ticket", pk=ticket.pk)


@customer_required
@require_POST
def ticket_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark my ticket as solved, or reopen a solved one."""
    ticket = ticket_or_404(request, pk)
    wanted = request.POST.get("status", "")
    try:
        services.ticket_change_status(actor=request.user, ticket=ticket, status=wanted)
    except ApplicationError as error:
        return _render_ticket(request, ticket, status=report_error(request, error))
    if wanted == Status.SOLVED:
        messages.success(request, _("Thank you: the ticket is marked as solved."))
    else:
        messages.success(request, _("The ticket is open again. Tell us what is still wrong."))
    return redirect("portal:ticket", pk=ticket.pk)
