"""Knowledge-base rows for tests. Articles are saved through the service, so
they have their search document and first revision like real ones."""

import factory
from django.utils import timezone

from knowledge_base import services
from knowledge_base.models import Article, ArticleStatus, Category, Section


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["category", "slug"]

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published, public English article unless told otherwise."""

    class Meta:
        model = Article

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "Some helpful words about shipping boxes."
    language = "en"
    status = ArticleStatus.PUBLISHED
    internal = False
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.article_save(
            actor=kwargs.get("author"), article=model_class(*args, **kwargs)
        )
