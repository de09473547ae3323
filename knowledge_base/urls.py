from django.urls import path

from knowledge_base.views import deflection, feedback, pages, staff

app_name = "kb"
urlpatterns = [
    path("", pages.index, name="index"),
    path("sitemap.xml", pages.sitemap, name="sitemap"),
    path("suggest/", deflection.suggest, name="suggest"),
    path("deflection/<str:token>/left/", deflection.left, name="deflection_left"),
    path("report/", staff.report, name="report"),
    path("category/<slug:slug>/", pages.category, name="category"),
    path("attachments/<int:pk>/<str:filename>", pages.attachment, name="attachment"),
    path("<slug:slug>/", pages.article, name="article"),
    path("<slug:slug>/feedback/", feedback.feedback, name="feedback"),
    path("<slug:slug>/revisions/", staff.revisions, name="revisions"),
    path("<slug:slug>/revisions/<int:number>/", staff.revision_diff, name="revision_diff"),
    path(
        "<slug:slug>/revisions/<int:number>/restore/",
        staff.revision_restore,
        name="revision_restore",
    ),
]
