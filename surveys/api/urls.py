from django.urls import path
from rest_framework.routers import SimpleRouter

from surveys.api.views import SurveyResponseList, SurveyViewSet

router = SimpleRouter()
router.register("", SurveyViewSet, basename="survey")

urlpatterns = [
    path("responses/", SurveyResponseList.as_view(), name="survey-response-list"),
    *router.urls,
]
