"""Attachment downloads, for staff and customers alike.

Files are never served as static media: every download goes through the
access check in `selectors.attachment_get_for`, so a customer can fetch only
files on public messages of tickets they may see.
"""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpdesk.errors import NotFound
from tickets import selectors
from tickets.views.helpers import login_required

# Types a browser may be told as they are; anything else (HTML, SVG, scripts)
# is sent as opaque bytes so it can never run in our origin.
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


def download_content_type(declared: str) -> str:
    base = declared.split(";", 1)[0].strip().lower()
    return base if base in SAFE_CONTENT_TYPES else "application/octet-stream"


@login_required
@require_GET
@never_cache
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        attachment = selectors.attachment_get_for(user=request.user, attachment_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is missing from storage.") from error
    # as_attachment + filename: Django writes an RFC 6266 Content-Disposition
    # (quoted ASCII, or filename*=utf-8''… for other names).
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=download_content_type(attachment.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
