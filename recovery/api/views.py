"""Recovery cases over REST. Views parse and call a selector or a service; nothing else."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.api.parsers import JSONParser
from helpdesk.api.schema import error_responses
from helpdesk.errors import ApplicationError, NotFound
from recovery import selectors, services
from recovery.api.serializers import CaseCreateSerializer, CaseSerializer, CaseUpdateSerializer
from recovery.models import CaseStatus, FailureType, RecoveryCase
from tickets.selectors import ticket_get_for


class CaseFilter(filters.FilterSet):
    ticket = filters.NumberFilter(
        method="filter_ticket",
        min_value=1,
        label="Ticket id: cases about it, or joined by a signal from it.",
    )
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    failure_type = filters.ChoiceFilter(choices=FailureType.choices)

    class Meta:
        model = RecoveryCase
        fields = ["ticket", "status", "failure_type"]

    def filter_ticket(self, queryset, name, value):
        return selectors.cases_for_ticket(queryset, int(value))


class CaseListView(generics.ListAPIView):
    """Recovery cases, most severe first. Staff see every case; customers see none."""

    serializer_class = CaseSerializer
    parser_classes = [JSONParser]
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        return selectors.case_list_for(user=self.request.user)

    @extend_schema(responses={200: CaseSerializer(many=True), **error_responses(400, 401)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={
            201: OpenApiResponse(CaseSerializer, description="A new case was opened."),
            200: OpenApiResponse(
                CaseSerializer,
                description="A case about this failure was already in work; the report joined it.",
            ),
            **error_responses(400, 401, 403, 413),
        },
    )
    def post(self, request: Request) -> Response:
        """Opens a case by hand (staff), or adds the report to the case already in work."""
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            ticket = ticket_get_for(user=request.user, ticket_id=data["ticket"])
        except NotFound:
            raise ApplicationError(_("No such ticket."), field="ticket") from None
        opened = services.case_open(
            actor=request.user,
            ticket=ticket,
            failure_type=data["failure_type"],
            facts=data["facts"],
        )
        case = selectors.case_get_for(user=request.user, case_id=opened.case.pk)
        return Response(
            CaseSerializer(case, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if opened.created else status.HTTP_200_OK,
        )


class CaseDetailView(generics.GenericAPIView):
    """One recovery case. Answers 404 for a case the viewer may not see."""

    serializer_class = CaseSerializer
    parser_classes = [JSONParser]
    queryset = RecoveryCase.objects.none()  # objects come from the selector, never from here

    def get_object(self) -> RecoveryCase:
        return selectors.case_get_for(user=self.request.user, case_id=self.kwargs["pk"])

    @extend_schema(responses={200: CaseSerializer, **error_responses(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=CaseUpdateSerializer,
        responses={200: CaseSerializer, **error_responses(400, 401, 403, 404, 409, 413)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Changes status, outcome, assignee, facts or apology (staff)."""
        case = self.get_object()
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {key: data[key] for key in ("status", "outcome", "facts") if key in data}
        if "assigned_to" in data:
            email = data["assigned_to"]
            changes["assigned_to"] = selectors.staff_member_by_email(email=email) if email else None
        apology = data.get("apology", {})
        if "subject" in apology:
            changes["apology_subject"] = apology["subject"]
        if "body" in apology:
            changes["apology_body"] = apology["body"]
        services.case_update(actor=request.user, case=case, **changes)
        return Response(self.get_serializer(self.get_object()).data)
