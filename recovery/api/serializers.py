"""The shape of recovery cases on the API. Serializers check input shape; services enforce rules."""

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from helpdesk.errors import ApplicationError
from recovery import policy, scoring
from recovery.facts import FACT_KEYS, clean_facts
from recovery.models import (
    CaseStatus,
    CaseStep,
    FailureType,
    Outcome,
    RecoveryCase,
    RecoverySignal,
)


@extend_schema_serializer(component_name="RecoveryReason")
class ReasonSerializer(serializers.Serializer):
    factor = serializers.CharField(
        help_text="Machine name of the factor, such as `prior_failures`."
    )
    points = serializers.IntegerField(help_text="What this factor added (or, when negative, took).")
    detail = serializers.CharField(help_text="The reason in words, in the viewer's language.")


@extend_schema_serializer(component_name="RecoveryApology")
class ApologySerializer(serializers.Serializer):
    subject = serializers.CharField(source="apology_subject")
    body = serializers.CharField(source="apology_body")
    language = serializers.CharField(
        source="customer.language", help_text="The customer's language, which the apology is in."
    )
    edited = serializers.BooleanField(
        source="apology_edited",
        help_text="An agent changed the draft; new facts no longer redraft it.",
    )
    sent_at = serializers.DateTimeField(
        source="apology_sent_at",
        allow_null=True,
        help_text="When an agent sent it to the customer; null while it is a draft.",
    )


@extend_schema_serializer(component_name="RecoveryCompensation")
class CompensationSerializer(serializers.Serializer):
    kind = serializers.CharField(
        source="compensation_kind", help_text="Blank while none is proposed."
    )
    amount = serializers.DecimalField(
        source="compensation_amount", max_digits=12, decimal_places=2, allow_null=True
    )
    currency = serializers.CharField(source="compensation_currency")
    can_grant = serializers.SerializerMethodField(
        help_text="Whether the viewer's role may grant this compensation without approval."
    )

    def get_can_grant(self, case: RecoveryCase) -> bool:
        request = self.context.get("request")
        return policy.can_grant(
            user=getattr(request, "user", None),
            kind=case.compensation_kind,
            amount=case.compensation_amount,
        )


@extend_schema_serializer(component_name="RecoverySignal")
class SignalSerializer(serializers.ModelSerializer):
    failure_type = serializers.ChoiceField(source="kind", choices=FailureType.choices)
    ticket = serializers.IntegerField(source="ticket_id", allow_null=True)

    class Meta:
        model = RecoverySignal
        fields = ["id", "failure_type", "ticket", "source", "created_at"]


@extend_schema_serializer(component_name="RecoveryCaseStep")
class StepSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(source="is_done")
    completed_by = serializers.EmailField(
        source="completed_by.email", allow_null=True, default=None
    )

    class Meta:
        model = CaseStep
        fields = [
            "id",
            "position",
            "kind",
            "title",
            "guidance",
            "done",
            "completed_at",
            "completed_by",
        ]


@extend_schema_serializer(component_name="RecoveryCase")
class CaseSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(source="ticket_id", read_only=True)
    ticket_reference = serializers.CharField(source="ticket.reference", read_only=True)
    customer = serializers.EmailField(source="customer.email", read_only=True)
    assigned_to = serializers.EmailField(
        source="assigned_to.email", read_only=True, allow_null=True
    )
    facts = serializers.DictField(child=serializers.JSONField(), read_only=True)
    score_reasons = serializers.SerializerMethodField()
    recovery_chance_reasons = serializers.SerializerMethodField()
    apology = ApologySerializer(source="*", read_only=True)
    compensation = CompensationSerializer(source="*", read_only=True)
    signals = SignalSerializer(many=True, read_only=True)
    proactive = serializers.BooleanField(
        read_only=True, help_text="Caught before the failure reached the customer."
    )
    playbook = serializers.CharField(source="playbook.name", read_only=True, allow_null=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = RecoveryCase
        fields = [
            "id",
            "ticket",
            "ticket_reference",
            "customer",
            "failure_type",
            "facts",
            "severity",
            "score_reasons",
            "recovery_chance",
            "recovery_chance_reasons",
            "status",
            "outcome",
            "assigned_to",
            "apology",
            "compensation",
            "signals",
            "proactive",
            "playbook",
            "steps",
            "detected_at",
            "resolved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReasonSerializer(many=True))
    def get_score_reasons(self, case: RecoveryCase) -> list[dict[str, Any]]:
        return scoring.reasons_for_display(case.score_reasons)

    @extend_schema_field(ReasonSerializer(many=True))
    def get_recovery_chance_reasons(self, case: RecoveryCase) -> list[dict[str, Any]]:
        return scoring.reasons_for_display(case.recovery_chance_reasons)


@extend_schema_field(
    {
        "type": "object",
        "description": "Facts about the failure. Known keys: " + ", ".join(FACT_KEYS) + ".",
        "properties": {
            "order_number": {"type": "string", "maxLength": 64},
            "product": {"type": "string", "maxLength": 200},
            "amount": {"type": "string", "format": "decimal", "example": "12.50"},
            "currency": {"type": "string", "example": "EUR", "minLength": 3, "maxLength": 3},
            "days_late": {"type": "number", "minimum": 0},
            "hours_waited": {"type": "number", "minimum": 0},
            "promised_hours": {"type": "number", "minimum": 0},
            "agent_name": {"type": "string", "maxLength": 150},
            "description": {"type": "string", "maxLength": 2000},
        },
        "additionalProperties": False,
    }
)
class FactsField(serializers.JSONField):
    """Facts, checked by the same `clean_facts` the service uses; errors name the key."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        data = super().to_internal_value(data)
        try:
            return clean_facts(data)
        except ApplicationError as error:
            key = error.extra.get("key")
            if key:
                raise serializers.ValidationError({key: [error.reason]}) from None
            raise serializers.ValidationError(error.message) from None


@extend_schema_serializer(component_name="RecoveryCaseCreate")
class CaseCreateSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1, help_text="The ticket's id.")
    failure_type = serializers.ChoiceField(choices=FailureType.choices)
    facts = FactsField(required=False, default=dict)


@extend_schema_serializer(component_name="RecoveryApologyInput")
class ApologyInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=255, required=False, allow_blank=True)
    body = serializers.CharField(max_length=20_000, required=False, allow_blank=True)


# Shares the case's component name so its PATCH body reads
# `PatchedRecoveryCaseRequest` and the case's status enum keeps one stable name
# (RecoveryCaseStatusEnum) however many other apps have a `status`.
@extend_schema_serializer(component_name="RecoveryCase")
class CaseUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    assigned_to = serializers.EmailField(
        required=False, allow_null=True, help_text="A staff member's email; null unassigns."
    )
    facts = FactsField(required=False, help_text="Replaces the facts; the case is rescored.")
    apology = ApologyInputSerializer(required=False)
