"""Managers tune the detectors' thresholds; new detections read them at once."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from recovery.models import DetectorSettings
from recovery.services.common import require_manager

EDITABLE = frozenset(
    field.name
    for field in DetectorSettings._meta.concrete_fields
    if field.name not in {"id", "updated_at", "updated_by"}
)


def detector_settings_update(*, actor: User, changes: dict[str, Any]) -> DetectorSettings:
    """Saves the changed thresholds. Precondition: `changes` passed the settings form's checks
    (the database re-checks the ranges that matter)."""
    require_manager(actor)
    unknown = set(changes) - EDITABLE
    assert not unknown, f"not a detector setting: {sorted(unknown)}"
    with transaction.atomic():
        DetectorSettings.load()
        row = DetectorSettings.objects.select_for_update().get(pk=DetectorSettings.SINGLETON_ID)
        changed = [name for name, value in changes.items() if getattr(row, name) != value]
        if not changed:
            return row
        for name in changed:
            setattr(row, name, changes[name])
        row.updated_at = timezone.now()
        row.updated_by = actor
        row.save(update_fields=[*changed, "updated_at", "updated_by"])
    return row
