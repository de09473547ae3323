"""The API's shapes.

Input serializers check the shape of a request only (types, lengths, known
choices); the rules (who may set what, which status may follow which) live in
`tickets.services`. Output serializers render what the viewer may see and
need `request` in their context.

People are shown to staff by email, the identifier the API takes back (for
example `assignee` in PATCH). Customers see staff members by display name
only, as in the replies they receive by email, and never see the
staff-only ticket fields (`team`, `tags`, `handoff_count`) or internal notes.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.models import Category, Channel, Priority, Status, Ticket
from tickets.services import MAX_BODY, MAX_SUBJECT, MAX_TAGS

# --- input: shape only ------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """Text only: refuses numbers and booleans rather than turning them into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data).lower()


def _tags_field() -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=50),
        required=False,
        max_length=MAX_TAGS,
        help_text="Tag names; they are slugified. Staff only.",
    )


class TicketCreateSerializer(serializers.Serializer):
    subject = StrictCharField(max_length=MAX_SUBJECT)
    body = StrictCharField(max_length=MAX_BODY, help_text="The first message.")
    requester = StrictEmailField(
        required=False,
        max_length=254,
        help_text="Staff only: whom the ticket is for; an unknown address becomes a new "
        "customer. Defaults to the caller.",
    )
    requester_name = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="Staff only: the new customer's name, used when `requester` is new.",
    )
    priority = serializers.ChoiceField(Priority.choices, required=False, help_text="Staff only.")
    category = serializers.ChoiceField(Category.choices, required=False, help_text="Staff only.")
    channel = serializers.ChoiceField(
        Channel.choices,
        required=False,
        help_text="Staff only: where the request came in (for example a phone call). "
        "Defaults to `api`.",
    )
    tags = _tags_field()


class TicketCreateMultipartSerializer(TicketCreateSerializer):
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Files for the first message."
    )


class TicketUpdateSerializer(serializers.Serializer):
    """Every field optional: only those given change. Customers may send `status` only."""

    subject = StrictCharField(required=False, max_length=MAX_SUBJECT, help_text="Staff only.")
    status = serializers.ChoiceField(
        Status.choices,
        required=False,
        help_text="Customers may reopen a solved ticket (`open`) or mark an active one `solved`.",
    )
    priority = serializers.ChoiceField(Priority.choices, required=False, help_text="Staff only.")
    category = serializers.ChoiceField(Category.choices, required=False, help_text="Staff only.")
    assignee = StrictEmailField(
        required=False,
        allow_null=True,
        max_length=254,
        help_text="Staff only: the email of an active staff member, or null to unassign.",
    )
    team = StrictCharField(
        required=False,
        allow_null=True,
        max_length=100,
        help_text="Staff only: a team's name, or null for no team.",
    )
    tags = _tags_field()


class MessageCreateSerializer(serializers.Serializer):
    body = StrictCharField(max_length=MAX_BODY)
    internal = serializers.BooleanField(
        default=False,
        help_text="An internal note, never shown to customers. Staff only: a customer "
        "sending true gets 403.",
    )


class MessageCreateMultipartSerializer(MessageCreateSerializer):
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


# --- output: what the viewer may see -------------------------------------------


def _viewer_is_staff(serializer: serializers.Serializer) -> bool:
    return bool(getattr(serializer.context["request"].user, "is_agent", False))


def _person(serializer: serializers.Serializer, user) -> str | None:
    """Email, except that customers see staff members by display name."""
    if user is None:
        return None
    if user.is_agent and not _viewer_is_staff(serializer):
        return user.display_name
    return user.email


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagNamesField(serializers.Field):
    def to_representation(self, value) -> list[str]:
        # `.all()`, not `.values_list()`: the selectors prefetch tags.
        return [tag.name for tag in value.all()]


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    content_type = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    author = serializers.SerializerMethodField(
        help_text="Email of the author (customers see staff authors by display name)."
    )
    author_name = serializers.SerializerMethodField()
    internal = serializers.BooleanField(help_text="True for internal notes (staff only).")
    channel = serializers.ChoiceField(Channel.choices)
    created_at = serializers.DateTimeField()
    attachments = AttachmentSerializer(many=True)

    def get_author(self, message) -> str | None:
        return _person(self, message.author)

    def get_author_name(self, message) -> str | None:
        return message.author.display_name if message.author else None


STAFF_ONLY_TICKET_FIELDS = ("team", "tags", "handoff_count")


class TicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="Such as HD-1042.")
    url = serializers.SerializerMethodField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(Status.choices)
    priority = serializers.ChoiceField(Priority.choices)
    channel = serializers.ChoiceField(Channel.choices)
    category = serializers.ChoiceField(Category.choices)
    requester = serializers.EmailField(source="requester.email")
    requester_name = serializers.CharField(source="requester.display_name")
    organisation = serializers.CharField(source="organisation.name", allow_null=True)
    assignee = serializers.SerializerMethodField(
        help_text="Email of the assigned agent, or null (customers see the agent's display name)."
    )
    assignee_name = serializers.CharField(source="assignee.display_name", allow_null=True)
    # Staff only: absent from what customers receive, hence not required.
    team = serializers.CharField(
        source="team.name", allow_null=True, required=False, help_text="Staff only."
    )
    tags = TagNamesField(required=False, help_text="Staff only.")
    handoff_count = serializers.IntegerField(
        required=False, help_text="Staff only: reassignments between agents or teams."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_replied_at = serializers.DateTimeField(allow_null=True)
    solved_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, ticket: Ticket) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("tickets_api:ticket-detail", kwargs={"ticket_id": ticket.pk})
        )

    def get_assignee(self, ticket: Ticket) -> str | None:
        return _person(self, ticket.assignee)

    def to_representation(self, ticket: Ticket) -> dict:
        data = super().to_representation(ticket)
        if not _viewer_is_staff(self):
            for field in STAFF_ONLY_TICKET_FIELDS:
                data.pop(field, None)
        return data
