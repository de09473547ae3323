"""Where other apps plug into ticket pages and queues without `tickets` importing them.

`sla` and `recovery` register, in their `AppConfig.ready()`, a panel for the
agent ticket page (a template plus a function giving its context) and queue
filters (a name, a label, choices and a function narrowing the queryset).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict]  # (request, ticket) -> template context
    order: int = 100


@dataclass(frozen=True)
class QueueFilter:
    name: str  # the query-string parameter
    label: str
    choices: tuple[tuple[str, str], ...]  # (value, label); "" means no filter
    apply: Callable[[QuerySet, str], QuerySet]


_panels: dict[str, Panel] = {}
_queue_filters: dict[str, QueueFilter] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.name] = panel


def register_queue_filter(queue_filter: QueueFilter) -> None:
    _queue_filters[queue_filter.name] = queue_filter


def ticket_panels(request: HttpRequest, ticket: Any) -> list[str]:
    """Each registered panel rendered to HTML, in order, for the agent ticket page."""
    return [
        render_to_string(
            panel.template, {"ticket": ticket, **panel.context(request, ticket)}, request=request
        )
        for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name))
    ]


def queue_filters() -> list[QueueFilter]:
    return list(_queue_filters.values())


def apply_queue_filters(tickets: QuerySet, params: Any) -> QuerySet:
    """Applies every registered filter whose parameter is present in `params` (a QueryDict)."""
    for queue_filter in _queue_filters.values():
        value = params.get(queue_filter.name, "")
        if value and value in {choice for choice, _ in queue_filter.choices}:
            tickets = queue_filter.apply(tickets, value)
    return tickets
