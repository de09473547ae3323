"""“Was this article helpful?”: a vote, then an optional comment (htmx or plain POST)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.errors import ApplicationError, NotFound
from knowledge_base import selectors, services
from knowledge_base.forms import FeedbackForm


def _session_key(request: HttpRequest) -> str:
    """The anonymous reader's session, started now if they had none."""
    if request.user.is_authenticated:
        return ""
    if not request.session.session_key:
        request.session["kb_reader"] = True  # marks it modified, so the cookie is sent
        request.session.save()
    return request.session.session_key or ""


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_get_for(user=request.user, slug_or_id=slug)
    except NotFound:
        raise Http404 from None
    form = FeedbackForm(request.POST)
    status = 200
    saved = None
    if form.is_valid():
        try:
            saved = services.article_feedback_submit(
                article=article,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
                user=request.user,
                session_key=_session_key(request),
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
    else:
        status = 400
    if not request.htmx:
        if saved:
            messages.success(request, _("Thank you for your feedback."))
        else:
            messages.error(request, _("We could not record your feedback. Please try again."))
        return redirect(f"{article.get_absolute_url()}#feedback")
    return render(
        request,
        "knowledge_base/_feedback.html",
        {
            "article": article,
            "feedback": saved
            or selectors.feedback_of(
                article=article, user=request.user, session_key=request.session.session_key
            ),
            "feedback_form": form,
            "commented": bool(saved and form.cleaned_data.get("comment")),
        },
        status=status,
    )
