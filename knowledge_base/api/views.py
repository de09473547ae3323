from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from knowledge_base import selectors
from knowledge_base.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from knowledge_base.models import Article


@extend_schema_view(
    list=extend_schema(
        summary="Search or list knowledge-base articles",
        description=(
            "Published articles: public ones for everyone, internal ones too for agents. "
            "With `q`, best matches first and each with a highlighted `snippet`."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to search for."),
            OpenApiParameter(
                "language", OpenApiTypes.STR, description="Only articles in this language (en, es)."
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="Read one article, by id or slug",
        parameters=[OpenApiParameter("id_or_slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
    ),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    filter_backends: list = []  # `q` and `language` go to the search selector
    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[-\w]+"
    queryset = Article.objects.none()  # for the schema; reads come from selectors

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleListSerializer

    def _q(self) -> str:
        return self.request.query_params.get("q", "").replace("\x00", "")

    def get_queryset(self):
        return selectors.article_search(
            user=self.request.user, q=self._q(), language=self.request.query_params.get("language")
        )

    def get_object(self) -> Article:
        return selectors.article_get_for(
            user=self.request.user, slug_or_id=self.kwargs[self.lookup_url_kwarg]
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "q": self._q()}
