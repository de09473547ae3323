from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from sla import receivers
        from tickets import events

        events.ticket_event.connect(receivers.on_ticket_event, dispatch_uid="sla.clocks")
