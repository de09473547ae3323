"""The recovery panel on the agent ticket page, and what it posts (htmx).

htmx requests get the panel back (with the page's messages swapped in out of
band); plain form posts are redirected to the ticket page. The panel is also
served on its own, so the agent page can reload it when a push says a case
changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.errors import ApplicationError
from recovery import selectors, services
from recovery.forms import ApologyForm, CaseOpenForm, StepForm
from recovery.models import RecoveryCase
from recovery.views.access import access_recovery_queue, case_or_404, report_error, ticket_or_404
from tickets.models import Ticket

PANEL = "recovery/_ticket_panel.html"


def _panel(
    request: HttpRequest,
    ticket: Ticket,
    *,
    open_form: CaseOpenForm | None = None,
    apology_form: ApologyForm | None = None,
    status=200,
) -> HttpResponse:
    context = {"ticket": ticket, **selectors.panel_context(request, ticket)}
    context["apology_form"] = apology_form
    if open_form is not None:
        context["open_form"] = open_form
        context["open_form_shown"] = True
    return render(request, PANEL, context, status=status)


def _back(request: HttpRequest, ticket: Ticket | None, case: RecoveryCase | None) -> HttpResponse:
    """After a plain (non-htmx) post: back to the ticket page, or to the case page."""
    if ticket is not None:
        return redirect("agent:ticket", pk=ticket.pk)
    return redirect("manager:recovery_case", case_id=case.pk)


@login_required
@require_GET
def ticket_panel(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The panel alone, for a refresh after a live notice."""
    access_recovery_queue(request.user)
    return _panel(request, ticket_or_404(request, ticket_id))


@login_required
@require_POST
def ticket_case_open(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """An agent opens a case by hand (or adds their report to the one in work)."""
    access_recovery_queue(request.user)
    ticket = ticket_or_404(request, ticket_id)
    form = CaseOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _panel(request, ticket, open_form=form, status=400)
    try:
        opened = services.case_open(
            actor=request.user,
            ticket=ticket,
            failure_type=form.cleaned_data["failure_type"],
            facts=form.facts(),
        )
    except ApplicationError as error:
        status = report_error(request, error, form)
        return _panel(request, ticket, open_form=form, status=status)
    if opened.created:
        messages.success(request, _("Recovery case opened."))
    else:
        messages.success(request, _("Your report was added to the case already in work."))
    if not request.htmx:
        return redirect("agent:ticket", pk=ticket.pk)
    return _panel(request, ticket)


@login_required
@require_POST
def case_step(request: HttpRequest, case_id: int, step_id: int) -> HttpResponse:
    """Ticks a playbook step off (or unticks it). `ticket` in the form names the
    ticket page the panel is on; without it the answer is the case page."""
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    ticket = ticket_or_404(request, request.POST["ticket"]) if request.POST.get("ticket") else None
    form = StepForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on"/"true" reads as unticked
    try:
        services.case_step_set_done(
            actor=request.user, case=case, step_id=step_id, done=form.cleaned_data["done"]
        )
    except ApplicationError as error:
        status = report_error(request, error)
        if request.htmx and ticket is not None:
            return _panel(request, ticket, status=status)
        return _back(request, ticket, case)
    if request.htmx and ticket is not None:
        return _panel(request, ticket)
    return _back(request, ticket, case)


@login_required
@require_POST
def case_playbook(request: HttpRequest, case_id: int) -> HttpResponse:
    """Puts the playbook's steps on a case that has none (opened before playbooks)."""
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    ticket = ticket_or_404(request, request.POST["ticket"]) if request.POST.get("ticket") else None
    services.case_playbook_apply(actor=request.user, case=case)
    if request.htmx and ticket is not None:
        return _panel(request, ticket)
    return _back(request, ticket, case)


def _after_case_post(
    request: HttpRequest, case: RecoveryCase, ticket: Ticket | None, *, status: int = 200, **forms
) -> HttpResponse:
    """htmx on the ticket page: the panel again; otherwise back to the page the form was on."""
    if request.htmx and ticket is not None:
        return _panel(request, ticket, status=status, **forms)
    return _back(request, ticket, case)


@login_required
@require_POST
def case_apology(request: HttpRequest, case_id: int) -> HttpResponse:
    """Saves the agent's edit of the apology, or (`action=redraft`) drafts it again."""
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    ticket = ticket_or_404(request, request.POST["ticket"]) if request.POST.get("ticket") else None
    if request.POST.get("action") == "redraft":
        try:
            services.case_apology_redraft(actor=request.user, case=case)
        except ApplicationError as error:
            return _after_case_post(request, case, ticket, status=report_error(request, error))
        messages.success(request, _("Apology drafted again from the facts."))
        return _after_case_post(request, case, ticket)
    form = ApologyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _after_case_post(request, case, ticket, status=400, apology_form=form)
    try:
        services.case_update(
            actor=request.user,
            case=case,
            apology_subject=form.cleaned_data["subject"],
            apology_body=form.cleaned_data["body"],
        )
    except ApplicationError as error:
        status = report_error(request, error, form)
        return _after_case_post(request, case, ticket, status=status, apology_form=form)
    messages.success(request, _("Apology saved."))
    return _after_case_post(request, case, ticket)


@login_required
@require_POST
def case_apology_send(request: HttpRequest, case_id: int) -> HttpResponse:
    """Sends the apology to the customer as a public reply on the ticket (emailed)."""
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    ticket = ticket_or_404(request, request.POST["ticket"]) if request.POST.get("ticket") else None
    try:
        services.case_apology_send(actor=request.user, case=case)
    except ApplicationError as error:
        return _after_case_post(request, case, ticket, status=report_error(request, error))
    messages.success(request, _("Apology sent to the customer."))
    return _after_case_post(request, case, ticket)
