from django.urls import path

from tickets.channels.sms import views

app_name = "sms"
urlpatterns = [
    path("", views.sms_hook, name="hook"),
]
