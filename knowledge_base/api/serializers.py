from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from knowledge_base import selectors
from knowledge_base.models import Article, Category


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class ArticleListSerializer(serializers.ModelSerializer):
    category = CategorySerializer(read_only=True)
    excerpt = serializers.CharField(
        read_only=True, help_text="Plain text: the summary or the body's start."
    )
    snippet = serializers.SerializerMethodField(
        help_text="HTML: where the query matched, hits in <mark>; everything else escaped."
    )
    url = serializers.SerializerMethodField(help_text="The article's page.")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "slug",
            "language",
            "category",
            "internal",
            "tags",
            "excerpt",
            "snippet",
            "url",
            "published_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_snippet(self, article: Article) -> str | None:
        q = self.context.get("q")
        if not q:
            return None
        return str(selectors.article_snippet(article, q))

    @extend_schema_field(serializers.URLField())
    def get_url(self, article: Article) -> str:
        path = article.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ArticleDetailSerializer(ArticleListSerializer):
    body_html = serializers.CharField(read_only=True, help_text="The body rendered and sanitised.")

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body_html"]
        read_only_fields = fields
