"""Article text: Markdown to safe HTML, plain-text excerpts and search snippets.

Everything an author writes is untrusted. Markdown is rendered with the
`markdown` package (which passes raw HTML through) and the result is cleaned
with `nh3` against an allow-list, so no script, event handler, style or
`javascript:`/`data:` URL survives. Snippets are built from escaped plain text
plus our own `<mark>` tags, never from author HTML.
"""

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# No javascript:, data:, vbscript: or anything else that runs or embeds.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]

# Search snippets mark hits with these private-use characters first, so that
# the text around them can be escaped before they become <mark> tags.
HIT_START = "\ue000"
HIT_END = "\ue001"
SNIPPET_WORDS = 30
EXCERPT_CHARS = 200

_WHITESPACE = re.compile(r"\s+")
# What Markdown source looks like when shown as plain text in a snippet.
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_BLOCK = re.compile(r"(^|\s)(?:#{1,6}|>|[-*+]|\d+\.)(?=\s)")
_MD_INLINE = re.compile(r"[*_`~]+")
_MD_SEPARATOR = re.compile(r"\||<[^>]*>")


def render_markdown(source: str) -> SafeString:
    """Markdown to HTML that is safe to put in a page as is."""
    raw = markdown.markdown(source or "", extensions=MARKDOWN_EXTENSIONS, output_format="html")
    cleaned = nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 output against the allow-list above


def markdown_to_text(source: str) -> str:
    """The words of a Markdown document, without markup, on one line."""
    rendered = nh3.clean(
        markdown.markdown(source or "", extensions=MARKDOWN_EXTENSIONS), tags=set()
    )
    return _WHITESPACE.sub(" ", html.unescape(rendered)).strip()


def excerpt(source: str, *, length: int = EXCERPT_CHARS) -> str:
    return Truncator(markdown_to_text(source)).chars(length)


def _words(q: str) -> list[str]:
    """Every distinct word, lower-cased, without quotes or operators, in order."""
    return list(dict.fromkeys(re.findall(r"\w[\w'-]*", q.lower())))


def search_terms(q: str) -> list[str]:
    """The words of a query, lower-cased, without quotes or operators; at most ten."""
    return _words(q)[:10]


# Words that say nothing about what someone is looking for, in the languages we
# ship. PostgreSQL's configurations drop their own stop words; these lists serve
# the trigram branch and the SQLite fallback, which have none.
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be because been but by can can't
    cannot could did do does doing don't for from get got had has have how i i'm if in
    into is it it's its me my no not of on or our out so than that the their them then
    there these they this to too up us was we were what when where which who why will
    with won't would you your
    al algo como con cual cuando de del el ella en es esta este esto ha hay la las le
    lo los me mi mis muy no nos o para pero por que qué se si sin su sus te tengo ti tu
    tus un una uno y ya yo""".split()
)


def significant_words(q: str, *, limit: int = 10) -> list[str]:
    """The query's words without stop words (all of them if nothing else is left)."""
    words = _words(q[:5000])
    kept = [word for word in words if word not in STOP_WORDS]
    return (kept or words)[:limit]


def normalise_query(q: str) -> str:
    """How a query is counted as a knowledge gap: lower-case words in order, one space apart."""
    return " ".join(re.findall(r"\w[\w'-]*", (q or "").lower()))[:200]


# Suffixes the SQLite fallback trims so "refunds" finds "refund" and "entregas"
# finds "entrega". Longest first; a stem keeps at least four letters.
_SUFFIXES = (
    "aciones",
    "ations",
    "ciones",
    "mente",
    "ation",
    "ación",
    "ción",
    "ing",
    "ies",
    "es",
    "ed",
    "s",
)


def crude_stem(word: str) -> str:
    """A stem good enough for substring matching; PostgreSQL uses real stemmers instead."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def highlight(text: str, terms: Sequence[str], *, words: int = SNIPPET_WORDS) -> SafeString:
    """A window of `text` around the first hit, hits wrapped in <mark>. Used where the
    database has no headline function (SQLite)."""
    plain = _WHITESPACE.sub(" ", text).strip()
    if not terms:
        return finish_snippet(Truncator(plain).words(words))
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    match = pattern.search(plain)
    tokens = plain.split(" ")
    start = 0
    if match:
        hit_word = plain[: match.start()].count(" ")
        start = max(0, hit_word - words // 3)
    window = " ".join(tokens[start : start + words])
    marked = pattern.sub(lambda m: f"{HIT_START}{m.group(0)}{HIT_END}", window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(tokens) else ""
    return finish_snippet(f"{prefix}{marked}{suffix}")


def headline_to_snippet(headline: str) -> SafeString:
    """Turns a PostgreSQL ts_headline over Markdown source into a safe snippet."""
    text = _MD_LINK.sub(r"\1", headline)
    text = _MD_BLOCK.sub(r"\1", text)
    text = _MD_SEPARATOR.sub(" ", _MD_INLINE.sub("", text))
    return finish_snippet(_WHITESPACE.sub(" ", text).strip())


def finish_snippet(marked_text: str) -> SafeString:
    """Escapes everything, then turns the hit markers into <mark> tags."""
    escaped = str(escape(marked_text))
    # A marker cut off by a fragment boundary must not leave an open tag.
    escaped = re.sub(f"{HIT_START}([^{HIT_END}{HIT_START}]*){HIT_END}", r"<mark>\1</mark>", escaped)
    escaped = escaped.replace(HIT_START, "").replace(HIT_END, "")
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our <mark> tags added


@dataclass(frozen=True)
class DiffLine:
    """One line of a revision diff: `kind` is "equal", "delete", "insert" or "skip"."""

    kind: str
    old_number: int | None
    new_number: int | None
    text: str


def line_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """A line diff of two texts with `context` unchanged lines around each change.

    Long unchanged stretches collapse into one "skip" line. The texts are left
    as they are; templates escape them.
    """
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffLine] = []
    for group_index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if group_index or (group and (group[0][1] > 0 or group[0][3] > 0)):
            rows.append(DiffLine("skip", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffLine("equal", i + 1, j + 1, old_lines[i])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            if tag in ("replace", "delete"):
                rows.extend(DiffLine("delete", i + 1, None, old_lines[i]) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                rows.extend(DiffLine("insert", None, j + 1, new_lines[j]) for j in range(j1, j2))
    return rows
