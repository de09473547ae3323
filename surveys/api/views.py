from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from surveys import selectors, services
from surveys.api.filters import SurveyResponseFilter
from surveys.api.serializers import (
    AnswerInputSerializer,
    SurveyResponseSerializer,
    SurveySerializer,
)
from surveys.models import Survey, SurveyResponse


@extend_schema(
    summary="List survey answers",
    description=(
        "Customers see their own answers; agents and managers see all, with the customer's email."
    ),
)
class SurveyResponseList(generics.ListAPIView):
    serializer_class = SurveyResponseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SurveyResponseFilter
    queryset = SurveyResponse.objects.none()  # for the schema; reads come from selectors

    def get_queryset(self):
        return selectors.survey_response_list_for(user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List surveys", description="A customer's own surveys; staff see all."
    ),
    retrieve=extend_schema(summary="Read one survey"),
)
class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SurveySerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    queryset = Survey.objects.none()

    def get_queryset(self):
        return selectors.survey_list_for(user=self.request.user)

    def get_object(self) -> Survey:
        return selectors.survey_get_for(user=self.request.user, survey_id=self.kwargs["pk"])

    @extend_schema(
        summary="Answer a survey",
        description="Only its customer may answer; answering again changes the answer.",
        request=AnswerInputSerializer,
        responses=SurveySerializer,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        survey = self.get_object()
        given = AnswerInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.survey_answer(
            survey=survey,
            score=given.validated_data["score"],
            comment=given.validated_data["comment"],
            actor=request.user,
        )
        return Response(self.get_serializer(self.get_object()).data)
