"""What the knowledge-base views share: access decorators and the reader's language."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

from knowledge_base.access import may_see_report
from knowledge_base.selectors import clean_language

View = Callable[..., HttpResponse]


def viewer_language(request: HttpRequest) -> str:
    """The reader's language: their profile's when signed in, else the browser's."""
    return clean_language(getattr(request, "LANGUAGE_CODE", None)) or settings.LANGUAGE_CODE


def _to_login(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        back = request.htmx.current_url_abs_path or request.get_full_path()
        return HttpResponseClientRedirect(redirect_to_login(back).url)
    return redirect_to_login(request.get_full_path())


def staff_required(view: View) -> View:
    """Support staff only. Anonymous people go to the login page; customers find nothing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        if not may_see_report(request.user):
            raise Http404("Not a page for this user.")
        return view(request, *args, **kwargs)

    return wrapper
