"""Ticket API views: parse the request, call one selector or service, render.

Reads go through `tickets.selectors` (already scoped to the caller, so a
ticket the caller may not see answers 404), writes through
`tickets.services`. Domain errors become 4xx JSON in
`helpdesk.api.exceptions`.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Team, User
from accounts.services import customer_get_or_create
from helpdesk.api.parsers import JSONParser
from helpdesk.api.schema import error_responses
from helpdesk.errors import ApplicationError, PermissionDenied
from tickets import selectors, services
from tickets.api.filters import TicketFilter
from tickets.api.serializers import (
    MessageCreateMultipartSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    TicketCreateMultipartSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from tickets.models import Channel, Ticket

# Fields only staff may send when filing a ticket; priority, category and tags
# are refused by `services.ticket_create` itself. These are checked here
# because they act before the service runs (a new requester is created first).
STAFF_ONLY_CREATE_FIELDS = ("requester_name", "channel")


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _is_multipart(request: Request) -> bool:
    return request.content_type.startswith("multipart/")


def _requester_for(*, actor: User, data: dict) -> User:
    """Whom a new ticket is for. Staff may name anyone; an unknown address
    becomes a customer. Customers file for themselves only."""
    email = data.get("requester")
    if not actor.is_agent:
        given = [field for field in STAFF_ONLY_CREATE_FIELDS if field in data]
        if given or (email and email != actor.email.lower()):
            raise PermissionDenied(
                _("Only support staff may set %(fields)s.")
                % {"fields": ", ".join(given or ["requester"])}
            )
        return actor
    if not email:
        return actor
    return customer_get_or_create(email=email, full_name=data.get("requester_name", ""))


def _staff_member(email: str | None) -> User | None:
    """The user named by `assignee`; the service checks they are active staff."""
    if email is None:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise ApplicationError(_("No staff member has this email address."), field="assignee")
    return user


def _team(name: str | None) -> Team | None:
    if name is None:
        return None
    team = Team.objects.filter(name__iexact=name.strip()).first()
    if team is None:
        raise ApplicationError(_("No team has this name."), field="team")
    return team


class TicketListView(GenericAPIView):
    """Tickets the caller may see; filing a new one."""

    serializer_class = TicketSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return selectors.ticket_list_for(user=self.request.user)

    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_list",
        summary="List tickets",
        description="Customers see their own tickets (and their organisation's, where it "
        "shares tickets); staff see all. Newest activity first.",
        responses={200: TicketSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        tickets = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(tickets)
        return self.get_paginated_response(
            TicketSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_create",
        summary="File a ticket",
        description="A customer sends `subject` and `body`. Staff may also set `requester` "
        "(an unknown email becomes a customer, named `requester_name`), `priority`, "
        "`category`, `channel` and `tags`; a customer sending those gets 403. "
        "Send multipart/form-data to attach files.",
        request={
            "application/json": TicketCreateSerializer,
            "multipart/form-data": TicketCreateMultipartSerializer,
        },
        responses={201: TicketSerializer, **error_responses(400, 401, 403, 413)},
        examples=[
            OpenApiExample(
                "Customer",
                value={"subject": "Printer on fire", "body": "It smokes."},
                request_only=True,
            ),
            OpenApiExample(
                "Agent, for a caller",
                value={
                    "subject": "Refund for order 1234",
                    "body": "Customer called: charged twice.",
                    "requester": "new.person@example.net",
                    "requester_name": "New Person",
                    "priority": "high",
                    "category": "overcharge",
                    "channel": "phone",
                    "tags": ["refund"],
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        multipart = _is_multipart(request)
        data = _validated(
            TicketCreateMultipartSerializer if multipart else TicketCreateSerializer, request
        )
        actor = request.user
        # One transaction: a ticket the service refuses leaves no new customer behind.
        with transaction.atomic():
            requester = _requester_for(actor=actor, data=data)
            ticket = services.ticket_create(
                actor=actor,
                requester=requester,
                subject=data["subject"],
                body=data["body"],
                channel=data.get("channel", Channel.API),
                priority=data.get("priority"),
                category=data.get("category"),
                tags=data.get("tags", ()),
                attachments=data.get("attachments", ()),
            )
        ticket = selectors.ticket_get_for(user=actor, ticket_id=ticket.pk)
        return Response(
            TicketSerializer(ticket, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class TicketDetailView(GenericAPIView):
    """One ticket: read it, or change its fields."""

    serializer_class = TicketSerializer
    filter_backends: list = []
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_retrieve",
        summary="Read a ticket",
        responses={200: TicketSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, ticket_id: int) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        return Response(TicketSerializer(ticket, context={"request": request}).data)

    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_partial_update",
        summary="Change a ticket",
        description="Only the fields sent change. Staff may change `subject`, `status`, "
        "`priority`, `category`, `assignee` (email or null), `team` (name or null) and "
        "`tags`. A customer may only send `status`: `open` to reopen a solved ticket, "
        "`solved` to close an active one; anything else gets 403. A move the workflow "
        "does not allow (such as from `closed`) gets 400.",
        request=TicketUpdateSerializer,
        responses={200: TicketSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, ticket_id: int) -> Response:
        actor = request.user
        ticket = selectors.ticket_get_for(user=actor, ticket_id=ticket_id)
        data = _validated(TicketUpdateSerializer, request)
        if actor.is_agent:
            if "assignee" in data:
                data["assignee"] = _staff_member(data["assignee"])
            if "team" in data:
                data["team"] = _team(data["team"])
            services.ticket_update(actor=actor, ticket=ticket, **data)
        else:
            if set(data) - {"status"}:
                raise PermissionDenied(_("Customers may only change a ticket's status."))
            if "status" in data:
                services.ticket_change_status(actor=actor, ticket=ticket, status=data["status"])
        ticket = selectors.ticket_get_for(user=actor, ticket_id=ticket.pk)
        return Response(TicketSerializer(ticket, context={"request": request}).data)


class TicketMessageListView(GenericAPIView):
    """A ticket's conversation: customers never see internal notes."""

    serializer_class = MessageSerializer
    filter_backends: list = []
    parser_classes = [JSONParser, MultiPartParser]
    queryset = Ticket.objects.none()  # for the schema's path parameter; reads use selectors

    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_messages_list",
        summary="List a ticket's messages",
        description="Oldest first. Internal notes are included for staff only.",
        responses={200: MessageSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, ticket_id: int) -> Response:
        ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
        messages = selectors.message_list_for(user=request.user, ticket=ticket)
        page = self.paginate_queryset(messages)
        return self.get_paginated_response(
            MessageSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        tags=["tickets"],
        operation_id="tickets_messages_create",
        summary="Add a message",
        description="A customer's message, or a staff member's public reply (emailed to the "
        "requester) or internal note (`internal: true`, staff only: a customer gets 403). "
        "A customer writing on a pending or solved ticket reopens it; a closed ticket "
        "answers 409. Send multipart/form-data to attach files.",
        request={
            "application/json": MessageCreateSerializer,
            "multipart/form-data": MessageCreateMultipartSerializer,
        },
        responses={201: MessageSerializer, **error_responses(400, 401, 403, 404, 409, 413)},
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        actor = request.user
        ticket = selectors.ticket_get_for(user=actor, ticket_id=ticket_id)
        multipart = _is_multipart(request)
        data = _validated(
            MessageCreateMultipartSerializer if multipart else MessageCreateSerializer, request
        )
        message = services.message_add(
            actor=actor,
            ticket=ticket,
            body=data["body"],
            internal=data["internal"],
            channel=Channel.API,
            attachments=data.get("attachments", ()),
        )
        message = selectors.message_list_for(user=actor, ticket=ticket).get(pk=message.pk)
        return Response(
            MessageSerializer(message, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
