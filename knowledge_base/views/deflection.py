"""Ticket deflection: suggestions while a customer writes a ticket, and whether they left.

The portal's new-ticket form asks `kb:suggest` for a fragment as the subject
is typed (htmx). Each suggested link carries `?from=deflection&d=<token>`;
opening one marks the session opened, and the article page then tells
`kb:deflection_left` (navigator.sendBeacon, on pagehide) when the customer
leaves it. The portal calls `services.deflection_mark_filed` when a ticket is
filed after all.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpdesk.errors import NotFound
from knowledge_base import selectors, services
from knowledge_base.views.helpers import viewer_language


@require_GET
@never_cache
def suggest(request: HttpRequest) -> HttpResponse:
    """Up to five articles for what is typed in `q` (or a form's `subject` field), as HTML."""
    q = request.GET.get("q") or request.GET.get("subject") or ""
    q = q.replace("\x00", "").strip()[: selectors.MAX_QUERY_LENGTH]
    language = viewer_language(request)
    articles = selectors.article_suggest(user=request.user, q=q, language=language)
    session = services.deflection_suggestions_shown(
        user=request.user, query=q, language=language, articles=articles
    )
    return render(
        request,
        "knowledge_base/_suggestions.html",
        {"articles": articles, "token": session.token if session else "", "q": q},
    )


@require_POST
def left(request: HttpRequest, token: str) -> HttpResponse:
    """The customer left a suggested article (sent by navigator.sendBeacon on pagehide).

    CSRF-protected like any POST: the beacon sends the page's token as form
    data. The session must belong to the signed-in customer.
    """
    try:
        services.deflection_mark_left(user=request.user, token=token)
    except NotFound:
        raise Http404 from None
    return HttpResponse(status=204)
