"""Files and images for articles: added by editors under server-made names,
served only to people who may read the article."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from helpdesk.errors import ApplicationError, PermissionDenied
from knowledge_base import services
from knowledge_base.models import ArticleAttachment
from tests import factories
from tests.knowledge_base.test_admin import INLINE_MANAGEMENT

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def editor(db):
    return factories.UserFactory(
        email="admin@example.com", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


def png(name: str = "../../etc/Screen shot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def attach(editor, article, upload=None) -> ArticleAttachment:
    return services.article_attachment_add(actor=editor, article=article, upload=upload or png())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_adds_an_image_in_the_admin_site(editor, password_article):
    response = client_for(editor).post(
        f"/admin/knowledge_base/article/{password_article.pk}/change/",
        {
            "title": password_article.title,
            "slug": password_article.slug,
            "category": password_article.category_id,
            "language": "en",
            "summary": "",
            "body": password_article.body,
            "tags": "[]",
            "status": "published",
            **INLINE_MANAGEMENT,
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": png("login screen.png"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = ArticleAttachment.objects.get()
    assert attachment.filename == "login_screen.png"
    assert attachment.content_type == "image/png"
    assert attachment.uploaded_by == editor


def test_files_are_stored_under_server_made_names(editor, password_article):
    attachment = attach(editor, password_article)

    assert attachment.filename == "Screen_shot.png"
    assert attachment.file.name.startswith("kb/")
    assert attachment.file.name.endswith(".png")
    assert "Screen" not in attachment.file.name
    assert ".." not in attachment.file.name


def test_anyone_who_may_read_a_public_article_gets_its_image_inline(
    client, editor, password_article
):
    attachment = attach(editor, password_article)

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_article_page_lists_its_files(client, editor, password_article):
    attachment = attach(editor, password_article)

    page = client.get("/kb/reset-your-password/").content.decode()

    assert f'href="{attachment.get_absolute_url()}"' in page
    assert "Screen_shot.png" in page


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_files_of_internal_articles_are_for_staff_only(
    request, editor, agent, internal_article, who
):
    attachment = attach(editor, internal_article)
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue("customer"))

    assert client.get(attachment.get_absolute_url()).status_code == 404
    staff = client_for(agent).get(attachment.get_absolute_url())
    assert staff.status_code == 200
    assert staff["Cache-Control"] == "private, no-store"


def test_files_of_drafts_are_for_editors_only(client, editor, agent, draft_article):
    attachment = attach(editor, draft_article)

    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client_for(agent).get(attachment.get_absolute_url()).status_code == 404
    assert client_for(editor).get(attachment.get_absolute_url()).status_code == 200


def test_documents_download_rather_than_open(client, editor, password_article):
    pdf = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    attachment = attach(editor, password_article, pdf)

    response = client.get(attachment.get_absolute_url())

    assert response["Content-Disposition"] == 'attachment; filename="guide.pdf"'


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("x.svg", "image/svg+xml"), ("x.html", "text/html"), ("x.exe", "application/octet-stream")],
)
def test_files_that_could_run_are_refused(editor, password_article, name, content_type):
    upload = SimpleUploadedFile(name, b"<svg onload=alert(1)>", content_type=content_type)

    with pytest.raises(ApplicationError, match="Only images"):
        attach(editor, password_article, upload)


def test_files_over_the_size_limit_are_refused(settings, editor, password_article):
    settings.MAX_ATTACHMENT_BYTES = 10

    with pytest.raises(ApplicationError, match="larger than"):
        attach(editor, password_article)


def test_agents_without_the_change_permission_cannot_add_files(agent, password_article):
    with pytest.raises(PermissionDenied):
        attach(agent, password_article)


def test_removing_a_file_deletes_it_from_storage_after_commit(
    editor, password_article, django_capture_on_commit_callbacks
):
    attachment = attach(editor, password_article)
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.article_attachment_delete(actor=editor, attachment=attachment)

    assert not ArticleAttachment.objects.exists()
    assert not storage.exists(name)


def test_an_unknown_file_is_a_404(client):
    assert client.get("/kb/attachments/999/x.png").status_code == 404
