from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Service recovery")

    def ready(self) -> None:
        from recovery import events as case_events
        from recovery import realtime, receivers, selectors
        from tickets import events, extensions

        # The one way in from the ticket event stream: detectors run in a task per event.
        events.ticket_event.connect(receivers.on_ticket_event, dispatch_uid="recovery.detectors")
        # Live updates: a case opened or changed refreshes the agent pages showing its ticket.
        case_events.case_event.connect(realtime.on_case_event, dispatch_uid="recovery.realtime")
        # Follow-up: a resolved case schedules its survey; the answer records the outcome.
        case_events.case_event.connect(receivers.on_case_event, dispatch_uid="recovery.follow_up")
        from surveys.events import survey_answered

        survey_answered.connect(receivers.on_survey_answered, dispatch_uid="recovery.follow_up")
        extensions.register_panel(
            extensions.Panel(
                name="recovery",
                template="recovery/_ticket_panel.html",
                context=selectors.panel_context,
                order=20,
            )
        )
        extensions.register_queue_filter(
            extensions.QueueFilter(
                name="recovery",
                label=_("Service recovery"),
                choices=(
                    ("", _("Any")),
                    (selectors.QUEUE_FILTER_OPEN, _("Recovery case in work")),
                    (selectors.QUEUE_FILTER_CRITICAL, _("Critical recovery case (75+)")),
                ),
                apply=selectors.filter_tickets,
            )
        )
