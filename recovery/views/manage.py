"""Managers' pages: detector thresholds, playbooks and their steps, root causes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from recovery import selectors, services
from recovery.forms import (
    DetectorSettingsForm,
    PlaybookForm,
    PlaybookStepFormSet,
    RootCauseFormSet,
)
from recovery.models import DetectorSettings, Playbook, RootCause
from recovery.views.access import access_manager_pages


@login_required
def detector_settings(request: HttpRequest) -> HttpResponse:
    access_manager_pages(request.user)
    current = DetectorSettings.load()
    form = DetectorSettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            services.detector_settings_update(actor=request.user, changes=form.changes())
            messages.success(request, _("Detector settings saved; new events use them now."))
            return redirect("manager:recovery_settings")
        messages.error(request, _("Please correct the errors below."))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "recovery/settings.html", {"form": form, "current": current}, status=status
    )


@login_required
def playbooks(request: HttpRequest) -> HttpResponse:
    access_manager_pages(request.user)
    return render(
        request, "recovery/playbooks.html", {"playbooks": selectors.playbooks_for_managers()}
    )


@login_required
def playbook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A playbook and its ordered steps. New cases get the saved steps; cases already
    open keep the checklist they started with."""
    access_manager_pages(request.user)
    playbook = get_object_or_404(Playbook, pk=pk) if pk else None
    form = PlaybookForm(request.POST or None, instance=playbook)
    formset = PlaybookStepFormSet(request.POST or None, instance=playbook, prefix="steps")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                playbook = form.save(commit=False)
                playbook.updated_at = timezone.now()
                playbook.save()
                formset.instance = playbook
                formset.save()
            messages.success(request, _("Playbook “%(name)s” saved.") % {"name": playbook.name})
            return redirect("manager:recovery_playbooks")
        messages.error(request, _("Please correct the errors below."))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "recovery/playbook_form.html",
        {"form": form, "formset": formset, "playbook": playbook},
        status=status,
    )


@login_required
def root_causes(request: HttpRequest) -> HttpResponse:
    """The sub-causes under the five fixed areas; switched off rather than deleted."""
    access_manager_pages(request.user)
    queryset = RootCause.objects.select_related("category").order_by(
        "category__position", "position", "name"
    )
    formset = RootCauseFormSet(request.POST or None, queryset=queryset, prefix="causes")
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("Root causes saved."))
            return redirect("manager:recovery_root_causes")
        messages.error(request, _("Please correct the errors below."))
    status = 400 if request.method == "POST" else 200
    return render(request, "recovery/root_causes.html", {"formset": formset}, status=status)
