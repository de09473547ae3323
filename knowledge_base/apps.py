from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _tune_trigram_threshold(sender, connection, **kwargs) -> None:
    """Sets pg_trgm's word-similarity threshold for each new PostgreSQL session.

    The `<%` operator the trigram index answers reads it, and the default (0.6)
    misses short typos such as "refnd" for "refund" (0.5). A session setting,
    not a database one, so it holds however the database was made (tests too).
    Behind a transaction-mode pooler, set it on the role or database instead.
    """
    if connection.vendor != "postgresql":
        return
    from knowledge_base.search import WORD_SIMILARITY_THRESHOLD

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(WORD_SIMILARITY_THRESHOLD)],
        )


class KnowledgeBaseConfig(AppConfig):
    name = "knowledge_base"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from knowledge_base import selectors
        from tickets import extensions

        connection_created.connect(_tune_trigram_threshold, dispatch_uid="kb-trigram-threshold")
        # Articles that may answer the ticket in front of the agent, with a link to insert.
        extensions.register_panel(
            extensions.Panel(
                name="kb",
                template="knowledge_base/_agent_panel.html",
                context=selectors.agent_panel_context,
                order=30,
            )
        )
