"""Every write in service recovery. The API, the pages, detectors and Celery all
come through here, so the rules live in one place.

- `cases`: open (or join), rescore, change cases;
- `playbooks`: the steps on a case, ticked off by agents;
- `learning`: root causes and coaching notes;
- `detector_settings`: managers' thresholds;
- `detection`: runs the detectors on one ticket event.
"""

from recovery.services.apology import (
    case_apology_polish,
    case_apology_redraft,
    case_apology_send,
)
from recovery.services.approvals import compensation_decide, compensation_request_approval
from recovery.services.cases import (
    DUPLICATE_WINDOW,
    PRIOR_FAILURE_WINDOW,
    RESCORE_EVERY,
    CaseOpened,
    case_open,
    case_rescore,
    case_update,
    cases_rescore_stale,
)
from recovery.services.common import UNSET
from recovery.services.detection import event_detect
from recovery.services.detector_settings import detector_settings_update
from recovery.services.follow_up import (
    case_follow_up_answered,
    case_follow_up_schedule,
    customer_cancellation_record,
)
from recovery.services.issuing import compensation_issue, voucher_redeem
from recovery.services.learning import case_set_root_cause, coaching_note_add
from recovery.services.playbooks import case_playbook_apply, case_step_set_done, playbook_for

__all__ = [
    "DUPLICATE_WINDOW",
    "PRIOR_FAILURE_WINDOW",
    "RESCORE_EVERY",
    "UNSET",
    "CaseOpened",
    "case_apology_polish",
    "case_apology_redraft",
    "case_apology_send",
    "case_follow_up_answered",
    "case_follow_up_schedule",
    "case_open",
    "case_playbook_apply",
    "case_rescore",
    "case_set_root_cause",
    "case_step_set_done",
    "case_update",
    "cases_rescore_stale",
    "coaching_note_add",
    "compensation_decide",
    "compensation_issue",
    "compensation_request_approval",
    "customer_cancellation_record",
    "detector_settings_update",
    "event_detect",
    "playbook_for",
    "voucher_redeem",
]
