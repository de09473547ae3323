"""Recovery cases over REST. Views parse and call a selector or a service; nothing else."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.api.parsers import JSONParser
from helpdesk.api.schema import error_responses
from helpdesk.errors import ApplicationError, NotFound, PermissionDenied
from recovery import selectors, services
from recovery.api.serializers import CaseCreateSerializer, CaseSerializer, CaseUpdateSerializer
from recovery.models import CaseStatus, CompensationKind, FailureType, RecoveryCase
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


class CaseApologySendView(generics.GenericAPIView):
    """Sends the case's apology to the customer as a public reply on its ticket (staff, once)."""

    serializer_class = CaseSerializer
    queryset = RecoveryCase.objects.none()

    @extend_schema(
        request=None, responses={200: CaseSerializer, **error_responses(400, 401, 403, 404, 409)}
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for(user=request.user, case_id=pk)
        services.case_apology_send(actor=request.user, case=case)
        case = selectors.case_get_for(user=request.user, case_id=pk)
        return Response(self.get_serializer(case).data)


class CaseIssueView(generics.GenericAPIView):
    """Grants the case's compensation: within the viewer's limit, or as a lead or manager
    approved it. 403 above the limit, 409 when already issued."""

    serializer_class = CaseSerializer
    queryset = RecoveryCase.objects.none()

    @extend_schema(
        request=None, responses={200: CaseSerializer, **error_responses(401, 403, 404, 409)}
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for(user=request.user, case_id=pk)
        services.compensation_issue(actor=request.user, case=case)
        case = selectors.case_get_for(user=request.user, case_id=pk)
        return Response(self.get_serializer(case).data)


class CancellationSerializer(serializers.Serializer):
    customer = serializers.EmailField(help_text="The customer who cancelled.")


class CancellationView(generics.GenericAPIView):
    """Records that a customer cancelled (staff): their recent cases are marked churned."""

    serializer_class = CancellationSerializer
    parser_classes = [JSONParser]
    queryset = RecoveryCase.objects.none()

    @extend_schema(
        request=CancellationSerializer,
        responses={
            200: OpenApiResponse(description='`{"churned": [case ids]}`'),
            **error_responses(400, 401, 403),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = CancellationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not request.user.is_agent:
            raise PermissionDenied(_("Only support staff may record a cancellation."))
        customer = selectors.customer_by_email(email=serializer.validated_data["customer"])
        cases = services.customer_cancellation_record(actor=request.user, customer=customer)
        return Response({"churned": [case.pk for case in cases]}, status=status.HTTP_200_OK)


class ApprovalRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CompensationKind.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(max_length=3)
    reason = serializers.CharField(max_length=2000)


class ApprovalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    reason = serializers.CharField()
    status = serializers.CharField()
    requested_by = serializers.EmailField(source="requested_by.email")
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, default=None)
    decision_reason = serializers.CharField()


class ApprovalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CaseApprovalView(generics.GenericAPIView):
    """Asks a lead or manager to approve compensation above the viewer's limit (staff)."""

    serializer_class = ApprovalRequestSerializer
    parser_classes = [JSONParser]
    queryset = RecoveryCase.objects.none()

    @extend_schema(
        request=ApprovalRequestSerializer,
        responses={201: ApprovalSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for(user=request.user, case_id=pk)
        serializer = ApprovalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.compensation_request_approval(
            actor=request.user, case=case, **serializer.validated_data
        )
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class ApprovalDecisionView(generics.GenericAPIView):
    """A lead or manager approves or declines a waiting request, with the reason."""

    serializer_class = ApprovalDecisionSerializer
    parser_classes = [JSONParser]
    queryset = RecoveryCase.objects.none()

    @extend_schema(
        request=ApprovalDecisionSerializer,
        responses={200: ApprovalSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        approval = selectors.approval_get_for(user=request.user, approval_id=pk)
        if approval is None:
            raise NotFound(_("No such approval request."))
        serializer = ApprovalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.compensation_decide(
            actor=request.user,
            approval=approval,
            approve=serializer.validated_data["decision"] == "approve",
            reason=serializer.validated_data["reason"],
        )
        return Response(ApprovalSerializer(approval).data)
