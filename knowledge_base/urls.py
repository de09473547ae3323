from django.urls import path

from knowledge_base import views

app_name = "kb"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.article, name="article"),
]
