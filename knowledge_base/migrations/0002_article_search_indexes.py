"""Full-text GIN indexes, PostgreSQL only.

One partial functional index per article language, on exactly the weighted
vector `knowledge_base.selectors._postgres_search` matches against, so a search
reads the index instead of computing vectors for every row. Other databases
(SQLite) search with LIKE and get nothing here. The indexes are not in the
model's Meta because Django has no per-database index; keep the expressions in
step with the selector.
"""

from django.db import migrations

# language code -> PostgreSQL text-search configuration, as at this migration.
CONFIGS = {"en": "english", "es": "spanish"}


def _indexes():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Q

    return [
        GinIndex(
            SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config),
            condition=Q(language=code),
            name=f"kb_article_fts_{code}",
        )
        for code, config in CONFIGS.items()
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("knowledge_base", "Article")
    for index in _indexes():
        schema_editor.add_index(article, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("knowledge_base", "Article")
    for index in _indexes():
        schema_editor.remove_index(article, index)


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
