"""Knowledge-base rows made directly, for tests that read them."""

import factory
from django.utils import timezone

from knowledge_base.models import Article, ArticleStatus, Category


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


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
