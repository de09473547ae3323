"""The manager dashboard, the recovery queue, and the case page with its forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.errors import ApplicationError
from recovery import policy, scoring, selectors, services
from recovery.facts import facts_for_display
from recovery.forms import ApprovalRequestForm, CoachingNoteForm, RootCauseForm
from recovery.models import FailureType
from recovery.views.access import (
    access_manager_pages,
    access_recovery_queue,
    case_or_404,
    report_error,
)

QUEUE_PAGE_SIZE = 25


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access_manager_pages(request.user)
    return render(
        request,
        "recovery/dashboard.html",
        {"dashboard": selectors.dashboard_for(user=request.user)},
    )


@login_required
@require_GET
def recovery_queue(request: HttpRequest) -> HttpResponse:
    """Cases in work, most severe first, then the longest waiting; 25 a page."""
    access_recovery_queue(request.user)
    failure_type = request.GET.get("failure_type", "")
    if failure_type not in FailureType.values:
        failure_type = ""
    cases = selectors.case_queue(user=request.user, failure_type=failure_type)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recovery/queue.html",
        {
            "page": page,
            "failure_type": failure_type,
            "failure_types": FailureType.choices,
        },
    )


def _render_case(
    request: HttpRequest,
    case_id: int,
    *,
    root_cause_form: RootCauseForm | None = None,
    coaching_form: CoachingNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    case = case_or_404(request, case_id)
    user = request.user
    return render(
        request,
        "recovery/case_detail.html",
        {
            "case": case,
            "steps": list(case.steps.all()),
            "facts": facts_for_display(case.facts),
            "score_reasons": scoring.reasons_for_display(case.score_reasons),
            "chance_reasons": scoring.reasons_for_display(case.recovery_chance_reasons),
            "issues": list(case.issues.select_related("issued_by").order_by("id")),
            "approvals": list(
                case.approvals.select_related("requested_by", "decided_by").order_by("id")
            ),
            "approval_form": ApprovalRequestForm(
                initial={
                    "kind": case.compensation_kind,
                    "amount": case.compensation_amount,
                    "currency": case.compensation_currency or "EUR",
                }
            ),
            "can_grant": policy.can_grant(
                user=user, kind=case.compensation_kind, amount=case.compensation_amount
            ),
            "root_cause_form": root_cause_form
            or RootCauseForm(
                initial={"root_cause": case.root_cause_id, "note": case.root_cause_note}
            ),
            "coaching_notes": selectors.coaching_notes_for(user=user, case_id=case.pk),
            "coaching_form": coaching_form
            or (
                CoachingNoteForm(initial={"agent": case.ticket.assignee_id})
                if user.is_supervisor
                else None
            ),
        },
        status=status,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    access_recovery_queue(request.user)
    return _render_case(request, case_id)


@login_required
@require_POST
def case_root_cause(request: HttpRequest, case_id: int) -> HttpResponse:
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    form = RootCauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_case(request, case_id, root_cause_form=form, status=400)
    try:
        services.case_set_root_cause(
            actor=request.user,
            case=case,
            root_cause=form.cleaned_data["root_cause"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        status = report_error(request, error, form)
        return _render_case(request, case_id, root_cause_form=form, status=status)
    messages.success(request, _("Root cause recorded."))
    return redirect("manager:recovery_case", case_id=case.pk)


@login_required
@require_POST
def case_coaching_note(request: HttpRequest, case_id: int) -> HttpResponse:
    access_recovery_queue(request.user)
    case = case_or_404(request, case_id)
    form = CoachingNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_case(request, case_id, coaching_form=form, status=400)
    try:
        services.coaching_note_add(
            actor=request.user,
            case=case,
            agent=form.cleaned_data["agent"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        status = report_error(request, error, form)
        return _render_case(request, case_id, coaching_form=form, status=status)
    messages.success(
        request,
        _("Coaching note saved for %(name)s.") % {"name": form.cleaned_data["agent"].display_name},
    )
    return redirect("manager:recovery_case", case_id=case.pk)


@login_required
@require_GET
def coaching_notes(request: HttpRequest) -> HttpResponse:
    """The coaching notes the viewer may read: their own, their team's (leads), all (managers)."""
    access_recovery_queue(request.user)
    notes = selectors.coaching_notes_for(user=request.user)
    page = Paginator(notes, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recovery/coaching.html", {"page": page})
