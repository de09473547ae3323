from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from tickets import events, realtime
        from tickets.channels.chat import tasks as chat_tasks  # noqa: F401 - registers the task
        from tickets.channels.sms import outbound as sms_outbound
        from tickets.channels.sms import tasks as sms_tasks  # noqa: F401 - registers the task

        events.ticket_event.connect(realtime.on_ticket_event, dispatch_uid="tickets.realtime")
        events.ticket_event.connect(sms_outbound.on_ticket_event, dispatch_uid="tickets.sms")
