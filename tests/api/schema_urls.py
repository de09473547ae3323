"""Only the API routes this package covers, to check their schema alone."""

from django.urls import include, path

urlpatterns = [
    path(
        "api/v1/",
        include(
            [
                path("auth/", include("accounts.api.urls")),
                path("", include("tickets.api.urls")),
            ]
        ),
    ),
]
