from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from knowledge_base import selectors, services
from knowledge_base.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from knowledge_base.models import Article


@extend_schema_view(
    list=extend_schema(
        summary="Search or list knowledge-base articles",
        description=(
            "Published articles: public ones for everyone, internal ones too for agents. "
            "With `q`, best matches first and each with a highlighted `snippet`; typos in "
            "short queries are forgiven. A search that finds nothing is counted as a "
            "knowledge gap."
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

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        q = self._q().strip()
        if q and response.status_code == 200 and response.data.get("count") == 0:
            language = selectors.clean_language(request.query_params.get("language"))
            services.knowledge_gap_record(
                q=q, language=language or getattr(request, "LANGUAGE_CODE", "") or ""
            )
        return response

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "q": self._q()}
