"""Compensation approvals: an agent asks from the case page; leads and managers decide
from the inbox (`/manager/recovery/approvals/`), seeing the team's budget and spend."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.errors import ApplicationError
from recovery import selectors, services
from recovery.forms import ApprovalDecisionForm, ApprovalRequestForm
from recovery.views.access import access_recovery_queue, case_or_404, report_error


def access_approvals_inbox(user) -> None:
    """Leads, managers and admins decide requests; others get 403."""
    if not user.is_active or not user.is_supervisor:
        raise PermissionDenied


@login_required
@require_POST
def case_request_approval(request: HttpRequest, case_id: int) -> HttpResponse:
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    form = ApprovalRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return redirect("manager:recovery_case", case_id=case.pk)
    try:
        services.compensation_request_approval(actor=request.user, case=case, **form.cleaned_data)
    except ApplicationError as error:
        report_error(request, error)
        return redirect("manager:recovery_case", case_id=case.pk)
    messages.success(request, _("Approval requested."))
    return redirect("manager:recovery_case", case_id=case.pk)


@login_required
@require_GET
def approvals_inbox(request: HttpRequest) -> HttpResponse:
    access_approvals_inbox(request.user)
    return render(
        request,
        "recovery/approvals.html",
        {"inbox": selectors.approvals_inbox(user=request.user), "form": ApprovalDecisionForm()},
    )


@login_required
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    access_approvals_inbox(request.user)
    approval = selectors.approval_get_for(user=request.user, approval_id=approval_id)
    if approval is None:
        raise Http404
    form = ApprovalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
        return redirect("manager:recovery_approvals")
    try:
        services.compensation_decide(
            actor=request.user,
            approval=approval,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        report_error(request, error)
        return redirect("manager:recovery_approvals")
    if form.cleaned_data["decision"] == "approve":
        messages.success(request, _("Compensation approved."))
    else:
        messages.success(request, _("Request declined."))
    return redirect("manager:recovery_approvals")


@login_required
@require_POST
def case_issue(request: HttpRequest, case_id: int) -> HttpResponse:
    """Grants the case's compensation (within the viewer's limit, or as approved)."""
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    try:
        services.compensation_issue(actor=request.user, case=case)
    except ApplicationError as error:
        report_error(request, error)
        return redirect("manager:recovery_case", case_id=case.pk)
    messages.success(request, _("Compensation issued."))
    return redirect("manager:recovery_case", case_id=case.pk)
