"""Knowledge-base pages: public, server-rendered, searchable."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from helpdesk.errors import NotFound
from knowledge_base import selectors, services
from knowledge_base.forms import SearchForm

RESULTS_PER_PAGE = 20


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Categories and their articles, or search results when there is a query."""
    form = SearchForm(request.GET or None)
    q, language = form.cleaned_query()
    context: dict = {
        "form": form,
        "q": q,
        "language": language,
        "canonical_url": f"{settings.SITE_URL}{reverse('kb:index')}",
    }
    if q:
        articles = selectors.article_search(user=request.user, q=q, language=language)
        page = Paginator(articles, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["hits"] = [
            selectors.SearchHit(article, selectors.article_snippet(article, q)) for article in page
        ]
        context["page_query"] = urlencode({"q": q, "language": language or ""})
    else:
        context["categories"] = selectors.category_list_with_articles(
            user=request.user, language=language
        )
    return render(request, "knowledge_base/index.html", context)


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = selectors.article_get_for(user=request.user, slug_or_id=slug)
    except NotFound:
        raise Http404 from None
    if not getattr(request.user, "is_agent", False):
        # Staff reading while they answer tickets would skew what customers read.
        services.article_record_view(article=found)
    return render(
        request,
        "knowledge_base/article.html",
        {
            "article": found,
            "canonical_url": f"{settings.SITE_URL}{found.get_absolute_url()}",
            "related": selectors.article_related(user=request.user, article=found),
        },
    )
