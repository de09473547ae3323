from django.urls import path

from tickets.channels.email import views as email_views

app_name = "hooks"
urlpatterns = [
    path("email/", email_views.email_hook, name="email"),
]
