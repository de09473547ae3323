"""Project-level views: the front door, probes and friendly error pages."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Sends each person to where they work."""
    user = request.user
    if user.is_manager:
        return redirect("manager:dashboard")
    if user.is_agent:
        return redirect("agent:queue")
    return redirect("portal:tickets")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def _check_broker() -> str | None:
    from helpdesk.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the broker answer; else 503 naming what failed."""
    failures = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        problem = check()
        if problem:
            failures[name] = problem
    if failures:
        logger.warning("not ready: %s", failures)
        return JsonResponse({"status": "unavailable", "failed": failures}, status=503)
    return JsonResponse({"status": "ok", "checks": ["database", "broker"]})


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        messages = {
            400: "Bad request.",
            403: "Permission denied.",
            404: "Not found.",
            500: "Server error.",
        }
        return JsonResponse({"detail": messages[status]}, status=status)
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "errors/403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "errors/500.html")
