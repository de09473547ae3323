from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveys.models import Survey, SurveyResponse


class SurveyResponseSerializer(serializers.ModelSerializer):
    """An answer. `customer_email` is shown to staff only."""

    survey = serializers.IntegerField(source="survey_id", read_only=True)
    ticket = serializers.IntegerField(source="survey.ticket_id", read_only=True)
    ticket_reference = serializers.CharField(source="survey.ticket.reference", read_only=True)
    customer_email = serializers.EmailField(
        source="survey.customer.email", read_only=True, help_text="Staff only."
    )

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "survey",
            "kind",
            "score",
            "comment",
            "ticket",
            "ticket_reference",
            "customer_email",
            "answered_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):
            return fields  # the OpenAPI document describes the staff view
        request = self.context.get("request")
        if request is None or not getattr(request.user, "is_agent", False):
            fields.pop("customer_email")
        return fields


class SurveyAnswerSerializer(serializers.ModelSerializer):
    """Only the answer itself; nested in a survey."""

    class Meta:
        model = SurveyResponse
        fields = ["score", "comment", "answered_at", "updated_at"]
        read_only_fields = fields


class SurveySerializer(serializers.ModelSerializer):
    ticket_reference = serializers.CharField(source="ticket.reference", read_only=True)
    score_min = serializers.SerializerMethodField()
    score_max = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "kind",
            "status",
            "ticket",
            "ticket_reference",
            "score_min",
            "score_max",
            "sent_at",
            "expires_at",
            "response",
        ]
        read_only_fields = fields

    def get_score_min(self, survey: Survey) -> int:
        return survey.score_range[0]

    def get_score_max(self, survey: Survey) -> int:
        return survey.score_range[1]

    @extend_schema_field(SurveyAnswerSerializer(allow_null=True))
    def get_response(self, survey: Survey) -> dict | None:
        response = getattr(survey, "response", None)
        return SurveyAnswerSerializer(response).data if response else None


class AnswerInputSerializer(serializers.Serializer):
    """The shape of an answer; the range for the survey's kind is the service's rule."""

    score = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
