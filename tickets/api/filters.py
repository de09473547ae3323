"""Query-string filters for the ticket list.

Bad values (an unknown status, a malformed date, an over-long search) answer
400 with the offending parameter named; they never reach the database.
"""

import django_filters
from django.db.models import Case, IntegerField, QuerySet, Value, When

from tickets import selectors
from tickets.models import PRIORITY_RANK, Category, Channel, Priority, Status, Ticket

# Filters on what customers are not shown; for a customer they are ignored,
# so the list cannot be used to probe hidden fields.
STAFF_ONLY_FILTERS = frozenset({"assignee", "team", "tag"})


def _priority_rank() -> Case:
    return Case(
        *[When(priority=p, then=Value(rank)) for p, rank in PRIORITY_RANK.items()],
        output_field=IntegerField(),
    )


class TicketOrderingFilter(django_filters.OrderingFilter):
    """Orders by the given fields, then newest id, so pages never overlap."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        if any(term.lstrip("-") == "priority_rank" for term in ordering):
            qs = qs.alias(priority_rank=_priority_rank())
        return qs.order_by(*ordering, "-id")


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, distinct=False, help_text="Repeat for several."
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, distinct=False, help_text="Repeat for several."
    )
    channel = django_filters.MultipleChoiceFilter(
        choices=Channel.choices, distinct=False, help_text="Repeat for several."
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Category.choices, distinct=False, help_text="Repeat for several."
    )
    requester = django_filters.CharFilter(
        field_name="requester__email",
        lookup_expr="iexact",
        max_length=254,
        help_text="The requester's email.",
    )
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        max_length=254,
        help_text="The assigned agent's email, or `none` for unassigned tickets. Staff only.",
    )
    team = django_filters.CharFilter(
        field_name="team__name", lookup_expr="iexact", max_length=100, help_text="Staff only."
    )
    tag = django_filters.CharFilter(
        field_name="tags__name", lookup_expr="iexact", max_length=50, help_text="Staff only."
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601, inclusive."
    )
    updated_before = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="lt", help_text="ISO 8601, exclusive."
    )
    created_after = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="ISO 8601, inclusive."
    )
    created_before = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="ISO 8601, exclusive."
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Matches the reference (HD-12 or 12), the subject or the requester's email.",
    )
    ordering = TicketOrderingFilter(
        fields=(
            ("updated_at", "updated_at"),
            ("created_at", "created_at"),
            ("priority_rank", "priority"),
            ("status", "status"),
            ("id", "id"),
        ),
        help_text="Comma-separated; prefix with `-` for descending. Default `-updated_at`.",
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        staff = getattr(self.request.user, "is_agent", False) if self.request else False
        for name, value in self.form.cleaned_data.items():
            if name in STAFF_ONLY_FILTERS and not staff:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_assignee(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        if value.strip().lower() == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__email__iexact=value.strip())

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return selectors.ticket_search(queryset, value)
