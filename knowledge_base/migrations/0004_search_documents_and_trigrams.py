"""Search that scales, on PostgreSQL; first revisions for existing articles, everywhere.

PostgreSQL only (other databases, SQLite, search with LIKE and get nothing here):

- the pg_trgm and unaccent extensions;
- text-search configurations `kb_english` and `kb_spanish`: the stock
  stemmers behind `unaccent`, so "contrasena" finds "contraseña";
- the stored `search_document` of every existing article, then a GIN index on
  it (the service keeps it from now on);
- a trigram GIN index on the title, for typo-tolerant matching;
- migration 0002's per-language expression indexes are dropped: searches read
  the stored document now, and the expressions would only slow writes down.

Keep the document expression in step with `knowledge_base.search.document_vector`.
"""

from django.db import migrations

# language code -> (our configuration, the stock one it copies), as at this migration.
CONFIGS = {"en": ("kb_english", "english"), "es": ("kb_spanish", "spanish")}
OLD_FTS_INDEXES = {"en": "english", "es": "spanish"}


def _document(config):
    from django.contrib.postgres.search import SearchVector
    from django.db.models import TextField
    from django.db.models.functions import Cast

    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", Cast("tags", TextField()), weight="B", config=config)
        + SearchVector("body", weight="B", config=config)
    )


def _old_indexes():
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
        for code, config in OLD_FTS_INDEXES.items()
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("knowledge_base", "Article")
    run = schema_editor.execute
    run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    run("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, base in CONFIGS.values():
        run(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '%s') THEN "
            "CREATE TEXT SEARCH CONFIGURATION %s (COPY = %s); END IF; END $$" % (name, name, base)
        )
        run(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {base}_stem"
        )
    for code, (name, _base) in CONFIGS.items():
        article.objects.filter(language=code).update(search_document=_document(name))
    article.objects.exclude(language__in=list(CONFIGS)).update(search_document=_document("simple"))
    run(
        "CREATE INDEX IF NOT EXISTS kb_article_document ON knowledge_base_article "
        "USING gin (search_document)"
    )
    run(
        "CREATE INDEX IF NOT EXISTS kb_article_title_trgm ON knowledge_base_article "
        "USING gin (title gin_trgm_ops)"
    )
    for index in _old_indexes():
        run(f"DROP INDEX IF EXISTS {index.name}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("knowledge_base", "Article")
    run = schema_editor.execute
    run("DROP INDEX IF EXISTS kb_article_document")
    run("DROP INDEX IF EXISTS kb_article_title_trgm")
    for index in _old_indexes():
        schema_editor.add_index(article, index)
    for name, _base in CONFIGS.values():
        run(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    # The extensions stay: other code may have come to use them.


def first_revisions(apps, schema_editor):
    """Revision 1 for every article that has none: its text as it stands."""
    article_model = apps.get_model("knowledge_base", "Article")
    revision_model = apps.get_model("knowledge_base", "ArticleRevision")
    pending = article_model.objects.filter(revisions__isnull=True).values_list(
        "pk", "title", "body", "author_id", "updated_at"
    )
    batch = []
    for pk, title, body, author_id, updated_at in pending.iterator(chunk_size=2000):
        batch.append(
            revision_model(
                article_id=pk,
                number=1,
                title=title,
                body=body,
                author_id=author_id,
                created_at=updated_at,
            )
        )
        if len(batch) >= 2000:
            revision_model.objects.bulk_create(batch)
            batch = []
    revision_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0003_sections_translations_revisions_feedback_deflection")]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RunPython(first_revisions, migrations.RunPython.noop, elidable=False),
    ]
