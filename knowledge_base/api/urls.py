from rest_framework.routers import SimpleRouter

from knowledge_base.api.views import ArticleViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="kb-article")

urlpatterns = router.urls
