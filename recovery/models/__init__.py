"""Service recovery's models, split by sub-domain; import them from here.

- `cases`: a case per customer failure, the signals that fed it, its audit trail;
- `detectors`: the thresholds managers tune;
- `playbooks`: ordered steps per situation, copied onto cases and ticked off;
- `learning`: the root-cause taxonomy and coaching notes.

Models hold fields, constraints and pure methods. Every write goes through
`recovery.services`; `save()` has no side effects.
"""

from recovery.models.cases import (
    ACTIVE_STATUSES,
    DIAGNOSES,
    FINISHED_STATUSES,
    GENERIC,
    PROACTIVE,
    SEVERITY_BAND_FLOORS,
    SITUATION_CHOICES,
    TRANSITIONS,
    CaseStatus,
    CompensationKind,
    FailureType,
    Outcome,
    RecoveryCase,
    RecoveryCaseEvent,
    RecoveryCaseQuerySet,
    RecoverySignal,
    SeverityBand,
    severity_band,
)
from recovery.models.compensation import (
    ApprovalLimit,
    ApprovalStatus,
    CompensationApproval,
    CompensationApprovalQuerySet,
    CompensationIssue,
    CompensationRule,
    TeamBudget,
)
from recovery.models.detectors import DetectorSettings
from recovery.models.learning import (
    CoachingNote,
    CoachingNoteQuerySet,
    RootCause,
    RootCauseArea,
    RootCauseCategory,
)
from recovery.models.playbooks import CaseStep, Playbook, PlaybookStep, StepKind

__all__ = [
    "ACTIVE_STATUSES",
    "DIAGNOSES",
    "FINISHED_STATUSES",
    "GENERIC",
    "PROACTIVE",
    "SEVERITY_BAND_FLOORS",
    "SITUATION_CHOICES",
    "TRANSITIONS",
    "ApprovalLimit",
    "ApprovalStatus",
    "CaseStatus",
    "CaseStep",
    "CoachingNote",
    "CoachingNoteQuerySet",
    "CompensationApproval",
    "CompensationApprovalQuerySet",
    "CompensationIssue",
    "CompensationKind",
    "CompensationRule",
    "DetectorSettings",
    "FailureType",
    "Outcome",
    "Playbook",
    "PlaybookStep",
    "RecoveryCase",
    "RecoveryCaseEvent",
    "RecoveryCaseQuerySet",
    "RecoverySignal",
    "RootCause",
    "RootCauseArea",
    "RootCauseCategory",
    "SeverityBand",
    "StepKind",
    "TeamBudget",
    "severity_band",
]
