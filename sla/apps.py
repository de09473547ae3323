from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from sla import receivers, selectors
        from tickets import events, extensions

        events.ticket_event.connect(receivers.on_ticket_event, dispatch_uid="sla.clocks")
        extensions.register_panel(
            extensions.Panel(
                name="sla", template="sla/panel.html", context=selectors.panel_context, order=10
            )
        )
        extensions.register_queue_filter(
            extensions.QueueFilter(
                name="sla",
                label=_("SLA"),
                choices=(
                    ("", _("Any")),
                    ("due", _("Any, soonest due first")),
                    ("soon", _("Breaching within the hour")),
                    ("breached", _("Breached")),
                ),
                apply=selectors.filter_tickets,
            )
        )
