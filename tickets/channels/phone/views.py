"""Logging a call: from the ticket page (on that ticket) or the customer's page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.errors import ApplicationError
from tickets import selectors
from tickets.channels.phone.forms import NEW_TICKET, CallForm, CustomerCallForm
from tickets.channels.phone.services import call_log
from tickets.views.customers import customer_or_404, customer_tickets, render_customer
from tickets.views.helpers import agent_required, form_invalid, report_error, ticket_or_404


@agent_required
@require_POST
def call_log_on_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_or_404(request, pk)
    form = CallForm(request.POST)
    if not form.is_valid():
        form_invalid(request)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("agent:ticket", pk=ticket.pk)
    try:
        call_log(actor=request.user, ticket=ticket, **form.cleaned_data)
    except ApplicationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Call logged."))
    return redirect("agent:ticket", pk=ticket.pk)


@agent_required
@require_POST
def call_log_for_customer(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_or_404(request, pk)
    active = [t for t in customer_tickets(user=request.user, customer=customer) if t.is_active]
    form = CustomerCallForm(request.POST, tickets=active)
    if not form.is_valid():
        return render_customer(request, customer, call_form=form, status=form_invalid(request))
    data = form.cleaned_data
    arguments = {
        "direction": data["direction"],
        "duration_minutes": data["duration_minutes"],
        "summary": data["summary"],
    }
    try:
        if data["ticket"] == NEW_TICKET:
            logged = call_log(
                actor=request.user, requester=customer, subject=data["subject"], **arguments
            )
        else:
            ticket = selectors.ticket_get_for(user=request.user, ticket_id=data["ticket"])
            logged = call_log(actor=request.user, ticket=ticket, **arguments)
    except ApplicationError as error:
        status = report_error(request, error, form=form)
        return render_customer(request, customer, call_form=form, status=status)
    messages.success(request, _("Call logged on %(ref)s.") % {"ref": logged.ticket.reference})
    return redirect("agent:customer", pk=customer.pk)
