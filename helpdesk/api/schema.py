"""Shared OpenAPI pieces: how errors look in the schema."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    {"detail": serializers.CharField()},
)

_DESCRIPTIONS = {
    400: 'Invalid input: `{"detail": ...}` or `{"<field>": ["<message>", ...]}`.',
    401: "Not authenticated.",
    403: "Authenticated, but not allowed to do this.",
    404: "No such object, or one the caller may not see (both read the same).",
    409: "The object's state does not allow this (for example a closed ticket).",
    413: "The request body is too large.",
    429: "Too many requests; retry after the number of seconds in `Retry-After`.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """`responses=` entries for the given error status codes."""
    return {
        code: OpenApiResponse(
            response=OpenApiTypes.OBJECT if code == 400 else ErrorSerializer,
            description=_DESCRIPTIONS[code],
        )
        for code in codes
    }
