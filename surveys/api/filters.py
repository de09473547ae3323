import django_filters

from surveys.models import SurveyKind, SurveyResponse


class SurveyResponseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SurveyKind.choices)
    ticket = django_filters.NumberFilter(field_name="survey__ticket_id")
    answered_after = django_filters.IsoDateTimeFilter(field_name="answered_at", lookup_expr="gte")
    answered_before = django_filters.IsoDateTimeFilter(field_name="answered_at", lookup_expr="lt")

    class Meta:
        model = SurveyResponse
        fields = ["kind", "ticket", "answered_after", "answered_before"]
