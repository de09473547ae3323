"""How fast knowledge-base search is on a big knowledge base (not a timed test).

    DATABASE_URL=postgres://postgres@127.0.0.1/helpdesk_bench_kb \
        .venv/bin/python bench/kb_search.py [--articles 100000] [--queries 300] [--compare-expression]

Seeds --articles articles with COPY when fewer exist (English and Spanish,
Spanish translations of some English ones, a few internal and draft ones;
made-up text about a few thousand topics, see Writer), builds their stored
search documents in SQL, then times a few hundred varied queries (single
words, pairs, sentences, whole titles, typos, product names) the way the
pages run them:

- search: `selectors.article_search` as /kb/?q= runs it (the probe, ranking
  the candidates, the first page of 20 with snippets);
- suggest: `selectors.article_suggest` as /kb/suggest/ runs it (type-ahead,
  top five folded by translation).

Each is reported as wall-clock time and as CPU time (this process plus the
PostgreSQL backend, read from /proc): on a shared machine the first includes
waiting for a core, the second does not. Then EXPLAIN ANALYZE of two searches.
`--compare-expression` also times the first design, an expression GIN index
with the vector recomputed per row for ranking, against the stored document.
Target: p95 under 50 ms.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from knowledge_base import search, selectors  # noqa: E402
from knowledge_base.models import Article  # noqa: E402

PAGE = 20
BENCH_SLUG = "bench-"

# Words support articles are made of, commonest first (their weights fall off as 1/rank).
EN_TOPIC = """order account password payment refund delivery invoice app email card subscription
shipping address login plan device update settings profile return item product parcel
tracking customer support price discount tax billing cancel error browser phone notification
security code warranty battery printer screen export report data sync calendar team user
permission storage backup upload download file photo camera bluetooth wifi network connection
firmware reset verify confirm receipt statement bank transfer paypal voucher gift coupon
checkout basket stock size colour exchange damaged broken missing late lost replacement
repair courier customs duty international express standard pickup locker label box package
invoice vat company business admin role integration api webhook token key limit quota
usage trial upgrade downgrade renewal charge declined expired fraud chargeback dispute
language timezone currency country region accessibility keyboard shortcut dark theme font
android iphone tablet laptop desktop chrome firefox safari edge cache cookie session
crash freeze slow loading blank offline outage maintenance status incident alert sms
two-factor authenticator recovery locked unlock suspicious privacy gdpr delete close merge
history search filter sort archive folder tag label share link invite guest member owner
schedule appointment booking reminder calendar meeting video call chat message reply""".split()
ES_TOPIC = """pedido cuenta contraseña pago reembolso entrega factura aplicación correo tarjeta
suscripción envío dirección acceso plan dispositivo actualización ajustes perfil devolución
artículo producto paquete seguimiento cliente soporte precio descuento impuesto facturación
cancelar error navegador teléfono notificación seguridad código garantía batería impresora
pantalla exportar informe datos sincronizar equipo usuario permiso almacenamiento copia
subir descargar archivo foto cámara conexión red restablecer verificar confirmar recibo
extracto banco transferencia cupón regalo caja talla color cambio dañado roto perdido
retrasado reemplazo reparación mensajero aduana internacional urgente recogida etiqueta
empresa administrador límite prueba mejorar renovación cobro rechazado caducado fraude
idioma moneda país región teclado tema bloqueado desbloquear privacidad borrar cerrar""".split()
EN_GLUE = "the a to and of for your you it is in on with if we can this that from".split()
ES_GLUE = "el la de y en para tu que con si se por los las un una lo".split()
SYLLABLES = "ka ri to na mex lo vi sen tra po qui dar fel ix on ul bre sto gan ter".split()


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def copy_rows(table: str, columns: list[str], rows) -> int:
    """Streams rows into `table` with COPY (autocommit: one transaction per table)."""
    count = 0
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


class Writer:
    """Makes up article text the way a big help centre reads.

    Each article is about one of a few thousand topics: a handful of support
    words and a product or feature name or two. Titles come from the topic;
    bodies mostly too, with general support words mixed in. General words
    follow a flat power law, so the commonest ("order") is in about a fifth of
    the articles and the rarest in a few per cent; names are rare.
    """

    TOPICS = 3000

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tail = list(
            dict.fromkeys(
                "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
                for _ in range(30000)
            )
        )
        self.tail_set = set(self.tail)
        self.words = {"en": EN_TOPIC, "es": ES_TOPIC}
        self.weights = {
            code: [(rank + 1) ** -0.3 for rank in range(len(words))]
            for code, words in self.words.items()
        }
        self.topics = {
            code: [(self.general(code, 6), rng.sample(self.tail, 2)) for _ in range(self.TOPICS)]
            for code in self.words
        }

    def general(self, language: str, k: int) -> list[str]:
        return self.rng.choices(self.words[language], weights=self.weights[language], k=k)

    def topic_words(self, language: str, k: int) -> list[str]:
        """What someone might search for: general words by how common they are."""
        return self.general(language, k)

    def article(self, language: str) -> tuple[str, str]:
        rng = self.rng
        words, names = rng.choice(self.topics[language])
        title_words = rng.sample(words, rng.randint(2, 4))
        if rng.random() < 0.5:
            title_words.insert(rng.randrange(len(title_words) + 1), names[0])
        title = " ".join(title_words).capitalize()
        glue = EN_GLUE if language == "en" else ES_GLUE
        sentences = [title + "."]
        for _ in range(rng.randint(6, 14)):
            content = [rng.choice(words) for _ in range(rng.randint(2, 4))]
            content += self.general(language, rng.randint(0, 2))
            if rng.random() < 0.3:
                content.append(rng.choice(names))
            content += rng.choices(glue, k=rng.randint(3, 6))
            rng.shuffle(content)
            sentences.append(" ".join(content).capitalize() + ".")
        return title, " ".join(sentences)


def seed(rng: random.Random, wanted: int) -> None:
    have = Article.objects.filter(slug__startswith=BENCH_SLUG).count()
    if have >= wanted:
        log(f"articles: {have} already")
        return
    writer = Writer(rng)
    now = datetime.now(UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_base_category WHERE slug LIKE 'bench-%%'")
        if cursor.fetchone()[0] == 0:
            copy_rows(
                "knowledge_base_category",
                ["name", "slug", "description", "position", "created_at"],
                ((f"Bench {i}", f"bench-{i}", "", i, now) for i in range(12)),
            )
            cursor.execute("SELECT id FROM knowledge_base_category WHERE slug LIKE 'bench-%%'")
            copy_rows(
                "knowledge_base_section",
                ["category_id", "name", "slug", "description", "position", "created_at"],
                (
                    (category, f"Section {n}", f"s-{n}", "", n, now)
                    for (category,) in cursor.fetchall()
                    for n in range(6)
                ),
            )
        cursor.execute(
            "SELECT s.id, s.category_id FROM knowledge_base_section s "
            "JOIN knowledge_base_category c ON c.id = s.category_id WHERE c.slug LIKE 'bench-%%'"
        )
        sections = cursor.fetchall()

    originals = int(wanted * 0.9)
    columns = [
        "category_id", "section_id", "title", "slug", "summary", "body", "language",
        "translation_of_id", "status", "internal", "tags", "view_count", "created_at",
        "updated_at", "published_at",
    ]  # fmt: skip

    def rows(start: int, stop: int, translating: dict[int, int] | None = None):
        for n in range(start, stop):
            language = "es" if translating or rng.random() < 0.1 else "en"
            title, body = writer.article(language)
            section, category = rng.choice(sections)
            created = now - timedelta(days=rng.uniform(0, 1500))
            status = "draft" if rng.random() < 0.03 else "published"
            yield (
                category, section, title, f"{BENCH_SLUG}{n}", "", body,
                language, translating.get(n) if translating else None, status,
                rng.random() < 0.05, json.dumps(writer.topic_words(language, 2)),
                int(rng.paretovariate(1.2)), created, created,
                created if status == "published" else None,
            )  # fmt: skip

    started = time.monotonic()
    first = min(have, originals)
    if first < originals:
        copy_rows("knowledge_base_article", columns, rows(first, originals))
        log(f"articles: {originals - first} originals in {time.monotonic() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id FROM knowledge_base_article a WHERE a.slug LIKE 'bench-%%' "
            "AND a.language = 'en' AND a.translation_of_id IS NULL AND NOT EXISTS ("
            "  SELECT 1 FROM knowledge_base_article t WHERE t.translation_of_id = a.id) "
            "ORDER BY a.id LIMIT %s",
            [wanted - max(have, originals)],
        )
        targets = [row[0] for row in cursor.fetchall()]
    start = max(have, originals)
    translating = {start + i: original for i, original in enumerate(targets)}
    copy_rows("knowledge_base_article", columns, rows(start, start + len(targets), translating))
    log(f"articles: {len(targets)} translations; building search documents")
    started = time.monotonic()
    for code in selectors.language_codes():
        Article.objects.filter(language=code, search_document__isnull=True).update(
            search_document=search.document_vector(code)
        )
    log(f"search documents in {time.monotonic() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE knowledge_base_article")


def mutate(word: str, rng: random.Random) -> str:
    """One typo: a dropped, doubled or swapped letter."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def make_queries(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(kind, query) pairs, drawn from real titles so they look like what people type."""
    titles = list(
        Article.objects.filter(slug__startswith=BENCH_SLUG, status="published")
        .order_by("?")
        .values_list("title", "language")[: n * 2]
    )
    writer = Writer(rng)
    queries = []
    for i in range(n):
        title, language = titles[i]
        words = [w for w in title.lower().split() if len(w) > 2]
        roll = i % 10
        if roll < 3:
            queries.append(("one word", writer.topic_words(language, 1)[0]))
        elif roll < 5:
            queries.append(("two words", " ".join(rng.sample(words, min(2, len(words))))))
        elif roll < 7:
            lead = rng.choice(["how do i", "why can't i", "my", "help with"])
            if language == "es":
                lead = rng.choice(["cómo", "no puedo", "mi", "ayuda con"])
            extra = " ".join(writer.topic_words(language, rng.randint(1, 3)))
            queries.append(("sentence", f"{lead} {title.lower()} {extra}"))
        elif roll < 8:
            long_words = [w for w in words if len(w) >= 5] or ["password"]
            queries.append(("typo", mutate(rng.choice(long_words), rng)))
        elif roll < 9:
            names = [w for w in words if w in writer.tail_set] or [rng.choice(writer.tail)]
            queries.append(("name", rng.choice(names)))
        else:
            queries.append(("title", title))
    return queries


class Clock:
    """Wall-clock time, and CPU time: this thread's plus the PostgreSQL backend's.

    On a shared machine wall-clock time includes waiting for a free core; CPU
    time does not, and with the data in memory it is what the search costs.
    The backend's comes from /proc/<pid>/schedstat (ns), so it needs the
    database on this machine; elsewhere CPU time is Django's only.
    """

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        path = Path(f"/proc/{pid}/schedstat")
        self.backend = path if path.exists() else None

    def _backend_ns(self) -> int:
        return int(self.backend.read_text().split()[0]) if self.backend else 0

    def measure(self, fn) -> tuple[float, float]:
        """(wall ms, CPU ms) of one call."""
        wall, thread, backend = time.perf_counter(), time.thread_time_ns(), self._backend_ns()
        fn()
        cpu = time.thread_time_ns() - thread + self._backend_ns() - backend
        return (time.perf_counter() - wall) * 1000, cpu / 1e6


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run_search(q: str) -> None:
    articles = selectors.article_search(user=AnonymousUser(), q=q)
    articles.count()
    for article in articles[:PAGE]:
        selectors.article_snippet(article, q)


def run_suggest(q: str) -> None:
    selectors.article_suggest(user=AnonymousUser(), q=q, language="en")


def summarise(name: str, samples: dict[str, list[float]]) -> None:
    print(f"\n{name} (ms)")
    print(f"  {'kind':<12}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    everything = [t for ts in samples.values() for t in ts]
    for kind, ts in [*sorted(samples.items()), ("ALL", everything)]:
        ts = sorted(ts)
        q = statistics.quantiles(ts, n=100, method="inclusive") if len(ts) > 1 else ts * 99
        print(f"  {kind:<12}{len(ts):>5}{q[49]:>9.1f}{q[94]:>9.1f}{q[98]:>9.1f}{ts[-1]:>9.1f}")


def explain(q: str) -> str:
    """EXPLAIN ANALYZE of every query one search runs."""
    statements: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run_search(q)
    plans = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
            plans.append("\n".join("    " + row[0] for row in cursor.fetchall()))
    return "\n  --\n".join(plans)


def compare_expression(queries: list[tuple[str, str]]) -> None:
    """The first design (a GIN index on the vector expression, ranked by recomputing
    it per row) against the stored document, on English one- and two-word queries."""
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import F, Q

    expression = SearchVector("title", weight="A", config="english") + SearchVector(
        "body", weight="B", config="english"
    )
    index = GinIndex(expression, condition=Q(language="en"), name="kb_bench_fts_expression")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index.name])
        exists = cursor.fetchone()
    if not exists:
        log("building the expression index for the comparison")
        with connection.schema_editor(atomic=False) as editor:
            editor.add_index(Article, index)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_base_article")
    public = Article.objects.filter(status="published", internal=False, language="en")

    def by_expression(q: str) -> None:
        query = SearchQuery(q, search_type="websearch", config="english")
        rows = (
            public.alias(v=expression)
            .filter(v=query)
            .annotate(rank=SearchRank(expression, query))
            .order_by("-rank")
            .values_list("id", flat=True)[:PAGE]
        )
        list(rows)

    def by_document(q: str) -> None:
        query = SearchQuery(q, search_type="websearch", config="kb_english")
        rows = (
            public.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank")
            .values_list("id", flat=True)[:PAGE]
        )
        list(rows)

    picked = [q for kind, q in queries if kind in ("one word", "two words")]
    clock = Clock()
    walls: dict[str, list[float]] = {"expression": [], "stored": []}
    cpus: dict[str, list[float]] = {"expression": [], "stored": []}
    for q in picked:  # warm both
        by_expression(q)
        by_document(q)
    for q in picked:
        for name, fn in (("expression", by_expression), ("stored", by_document)):
            wall, cpu = clock.measure(lambda q=q, fn=fn: fn(q))
            walls[name].append(wall)
            cpus[name].append(cpu)
    title = "strict top 20, English, one or two words: expression index vs stored document"
    summarise(f"{title}: wall clock", walls)
    summarise(f"{title}: CPU", cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--compare-expression", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/kb_search.py needs PostgreSQL: set DATABASE_URL.")
    call_command("migrate", "--noinput", verbosity=0)
    rng = random.Random(args.seed)
    seed(rng, args.articles)
    total = Article.objects.count()
    queries = make_queries(rng, args.queries)
    log(f"{total} articles; {len(queries)} queries; warming up")
    for _kind, q in queries:
        run_search(q)
        run_suggest(q)
    clock = Clock()
    for label, run in [
        (f"/kb/?q= search: probe, ranking, page of {PAGE} with snippets", run_search),
        ("/kb/suggest/: probe, ranking, top five, translations", run_suggest),
    ]:
        walls: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}
        for kind, q in queries:
            wall, cpu = clock.measure(lambda q=q, run=run: run(q))
            walls.setdefault(kind, []).append(wall)
            cpus.setdefault(kind, []).append(cpu)
        load = os.getloadavg()[0]
        summarise(f"{label}: wall clock, load average {load:.1f} on {os.cpu_count()} CPUs", walls)
        summarise(f"{label}: CPU, Django + PostgreSQL backend", cpus)
    slowest = max(queries, key=lambda kq: timed(lambda: run_search(kq[1])))
    for label, q in [("commonest word", EN_TOPIC[0]), ("slowest query", slowest[1])]:
        print(f"\nEXPLAIN {label}: {q!r}\n{explain(q)}")
    if args.compare_expression:
        compare_expression(queries)


if __name__ == "__main__":
    main()
