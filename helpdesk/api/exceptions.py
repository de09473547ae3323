from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from helpdesk.api.parsers import PayloadTooLarge
from helpdesk.errors import ApplicationError


def exception_handler(exc, context):
    """Turns domain and Django errors into DRF ones, so every API error is JSON and 4xx."""
    if isinstance(exc, ApplicationError):
        status = exc.status_code
        if status == 404:
            exc = exceptions.NotFound(exc.message)
        elif status == 403:
            exc = exceptions.PermissionDenied(exc.message)
        else:
            detail = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
            exc = exceptions.ValidationError(detail)
            exc.status_code = status
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    # Raised by Django's multipart parser when a form is over its limits.
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(str(exc))
    return drf_exception_handler(exc, context)
