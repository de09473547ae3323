"""Manager pages to edit SLA policies and business-hours calendars."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sla import services
from sla.forms import (
    CalendarForm,
    ClosedDateFormSet,
    OpeningSpanFormSet,
    PolicyForm,
    PolicyTargetFormSet,
)
from sla.models import BusinessCalendar, Policy


def _require_manager(request: HttpRequest) -> None:
    if not request.user.is_manager:
        raise Http404


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    policies = (
        Policy.objects.select_related("calendar")
        .prefetch_related("targets")
        .order_by("position", "id")
    )
    calendars = BusinessCalendar.objects.prefetch_related("spans").order_by("name")
    return render(request, "sla/overview.html", {"policies": policies, "calendars": calendars})


@login_required
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_manager(request)
    policy = get_object_or_404(Policy, pk=pk) if pk else None
    form = PolicyForm(request.POST or None, instance=policy)
    formset = PolicyTargetFormSet(request.POST or None, instance=policy, prefix="targets")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            policy = form.save()
            formset.instance = policy
            formset.save()
            services.policies_changed(actor=request.user)
        messages.success(
            request,
            _("Policy “%(name)s” saved; open tickets are being re-timed.") % {"name": policy.name},
        )
        return redirect("sla:overview")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "sla/policy_form.html",
        {"form": form, "formset": formset, "policy": policy},
        status=status,
    )


@login_required
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_manager(request)
    calendar = get_object_or_404(BusinessCalendar, pk=pk) if pk else None
    form = CalendarForm(request.POST or None, instance=calendar)
    spans = OpeningSpanFormSet(request.POST or None, instance=calendar, prefix="spans")
    closed = ClosedDateFormSet(request.POST or None, instance=calendar, prefix="closed")
    if request.method == "POST" and form.is_valid() and spans.is_valid() and closed.is_valid():
        with transaction.atomic():
            calendar = form.save()
            for formset in (spans, closed):
                formset.instance = calendar
                formset.save()
            services.policies_changed(actor=request.user)
        messages.success(request, _("Calendar “%(name)s” saved.") % {"name": calendar.name})
        return redirect("sla:overview")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "spans": spans, "closed": closed, "calendar": calendar}
    return render(request, "sla/calendar_form.html", context, status=status)
