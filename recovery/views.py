"""Manager and agent pages for service recovery. Views parse, call a selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from helpdesk.errors import NotFound
from recovery import policy, scoring, selectors
from recovery.facts import facts_for_display
from recovery.models import FailureType

QUEUE_PAGE_SIZE = 25


def access_manager_pages(user: User) -> None:
    """The dashboards are for managers (and admins); other staff and customers get 403."""
    if not user.is_active or not user.is_manager:
        raise PermissionDenied


def access_recovery_queue(user: User) -> None:
    """Any active member of staff works recovery cases."""
    if not user.is_active or not user.is_agent:
        raise PermissionDenied


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


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    access_recovery_queue(request.user)
    try:
        case = selectors.case_get_for(user=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "recovery/case_detail.html",
        {
            "case": case,
            "facts": facts_for_display(case.facts),
            "score_reasons": scoring.reasons_for_display(case.score_reasons),
            "chance_reasons": scoring.reasons_for_display(case.recovery_chance_reasons),
            "can_grant": policy.can_grant(
                user=request.user, kind=case.compensation_kind, amount=case.compensation_amount
            ),
        },
    )
