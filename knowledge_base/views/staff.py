"""Staff pages: the knowledge-base report, revision history, diffs and restores."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.errors import ApplicationError, NotFound
from knowledge_base import selectors, services
from knowledge_base.access import may_edit_articles
from knowledge_base.views.helpers import staff_required


@staff_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """What readers read, what they found unhelpful and what they could not find."""
    return render(
        request,
        "knowledge_base/report.html",
        {
            "top_viewed": selectors.report_top_viewed(),
            "most_unhelpful": selectors.report_most_unhelpful(),
            "gaps": selectors.report_knowledge_gaps(),
            "deflection": selectors.report_deflection_summary(days=30),
        },
    )


def _article_or_404(request: HttpRequest, slug: str):
    try:
        return selectors.article_get_for(user=request.user, slug_or_id=slug, unpublished=True)
    except NotFound:
        raise Http404 from None


@staff_required
@require_GET
def revisions(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    return render(
        request,
        "knowledge_base/revisions.html",
        {
            "article": article,
            "revisions": selectors.revision_list(article=article),
            "may_edit": may_edit_articles(request.user),
        },
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 9 else None


@staff_required
@require_GET
def revision_diff(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Revision `number` against the one before it, or against `?against=<n>`."""
    article = _article_or_404(request, slug)
    try:
        diff = selectors.revision_diff(
            article=article, number=number, against=_number(request.GET.get("against"))
        )
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "knowledge_base/revision_diff.html",
        {"article": article, "diff": diff, "may_edit": may_edit_articles(request.user)},
    )


@staff_required
@require_POST
def revision_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = _article_or_404(request, slug)
    try:
        services.article_revision_restore(actor=request.user, article=article, number=number)
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("kb:revisions", slug=article.slug)
    messages.success(
        request, _("Revision %(number)d is back, as a new revision.") % {"number": number}
    )
    return redirect("kb:revisions", slug=article.slug)
