from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from surveys import events as survey_events  # noqa: F401 - registers survey.low_score
        from surveys import receivers
        from tickets import events

        events.ticket_event.connect(receivers.on_ticket_event, dispatch_uid="surveys.schedule")
