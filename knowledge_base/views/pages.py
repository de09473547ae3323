"""Public reading: the index and search, categories, articles, their files and the sitemap."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpdesk.errors import NotFound
from knowledge_base import selectors, services
from knowledge_base.access import may_edit_articles, may_read_internal
from knowledge_base.forms import FeedbackForm, SearchForm
from knowledge_base.views.helpers import viewer_language

RESULTS_PER_PAGE = 20
CATEGORY_PAGE_SIZE = 50
SITEMAP_PAGE_SIZE = 50_000  # the sitemaps.org limit per file
# Types a browser may be told as they are; anything else is sent as opaque bytes.
SAFE_CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
        "text/csv",
        "text/plain",
    }
)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Categories with their first articles, or search results when there is a query."""
    form = SearchForm(request.GET or None)
    q, language = form.cleaned_query()
    reader_language = viewer_language(request)
    context: dict = {
        "form": form,
        "q": q,
        "language": language,
        "canonical_url": _absolute(reverse("kb:index")),
    }
    if q:
        articles = selectors.article_search(user=request.user, q=q, language=language)
        page = Paginator(articles, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        if page.paginator.count == 0:
            services.knowledge_gap_record(q=q, language=language or reader_language)
        context["page"] = page
        # Past this many, a search ranks a sample (see knowledge_base.search): say "more than".
        context["many"] = selectors.SEARCH_RESULTS_SHOWN_AS_MANY
        context["hits"] = [
            selectors.SearchHit(article, selectors.article_snippet(article, q)) for article in page
        ]
        context["page_query"] = urlencode({"q": q, "language": language or ""})
    else:
        context["categories"] = selectors.category_list_with_articles(
            user=request.user, language=language, viewer_language=reader_language
        )
    return render(request, "knowledge_base/index.html", context)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = selectors.category_get(slug=slug)
    except NotFound:
        raise Http404 from None
    articles = selectors.category_articles(
        user=request.user, category=found, viewer_language=viewer_language(request)
    )
    page = Paginator(articles, CATEGORY_PAGE_SIZE).get_page(request.GET.get("page"))
    if page.paginator.count == 0:
        raise Http404("No readable articles in this category.")
    return render(
        request,
        "knowledge_base/category.html",
        {
            "category": found,
            "page": page,
            "canonical_url": _absolute(found.get_absolute_url()),
        },
    )


def _deflection_for(request: HttpRequest, article):
    """Marks a suggested article as opened when the link carries the customer's token."""
    token = request.GET.get("d", "")
    if request.GET.get("from") != "deflection" or not token:
        return None
    try:
        session = services.deflection_mark_opened(user=request.user, token=token, article=article)
    except NotFound:
        return None  # someone else's token, or a stale link: just show the article
    if session.opened_article_id != article.pk or session.filed_at is not None:
        return None
    return session


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = selectors.article_get_for(user=request.user, slug_or_id=slug)
    except NotFound:
        raise Http404 from None
    if found.slug != slug:
        return redirect(found, permanent=True)  # /kb/<id>/ has one canonical address
    if not may_read_internal(request.user):
        # Staff reading while they answer tickets would skew what customers read.
        services.article_record_view(article=found)
    reader_language = viewer_language(request)
    translations = selectors.article_translations(user=request.user, article=found)
    in_reader_language = next(
        (t for t in translations if t.language == reader_language and t.pk != found.pk), None
    )
    feedback = selectors.feedback_of(
        article=found, user=request.user, session_key=request.session.session_key
    )
    return render(
        request,
        "knowledge_base/article.html",
        {
            "article": found,
            "canonical_url": _absolute(found.get_absolute_url()),
            "translations": [
                {"article": t, "url": _absolute(t.get_absolute_url())} for t in translations
            ],
            "in_reader_language": in_reader_language,
            "related": selectors.article_related(user=request.user, article=found),
            "attachments": selectors.article_attachments(article=found),
            "feedback": feedback,
            "feedback_form": FeedbackForm(),
            "deflection": _deflection_for(request, found),
            "may_see_history": may_read_internal(request.user),
            "may_edit": may_edit_articles(request.user),
        },
    )


def _content_type(declared: str) -> str:
    base = declared.split(";", 1)[0].strip().lower()
    return base if base in SAFE_CONTENT_TYPES else "application/octet-stream"


@require_GET
def attachment(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """An article's file, for whoever may read the article. Images show inline."""
    try:
        found = selectors.attachment_get_for(user=request.user, attachment_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(
        handle,
        as_attachment=not found.is_image,
        filename=found.filename,
        content_type=_content_type(found.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    public = found.article.is_published and not found.article.internal
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Published public articles and the categories, for search engines (`?p=2` past 50,000)."""
    page = Paginator(selectors.sitemap_articles(), SITEMAP_PAGE_SIZE).get_page(request.GET.get("p"))
    categories = selectors.sitemap_categories()
    return render(
        request,
        "knowledge_base/sitemap.xml",
        {
            "site_url": settings.SITE_URL,
            "articles": page,
            "categories": categories if page.number == 1 else [],
            "index_url": _absolute(reverse("kb:index")),
        },
        content_type="application/xml; charset=utf-8",
    )
