"""Article text: Markdown to safe HTML, plain-text excerpts and search snippets.

Everything an author writes is untrusted. Markdown is rendered with the
`markdown` package (which passes raw HTML through) and the result is cleaned
with `nh3` against an allow-list, so no script, event handler, style or
`javascript:`/`data:` URL survives. Snippets are built from escaped plain text
plus our own `<mark>` tags, never from author HTML.
"""

import html
import re
from collections.abc import Sequence

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


def search_terms(q: str) -> list[str]:
    """The words of a query, lower-cased, without quotes or operators; at most ten."""
    words = re.findall(r"\w[\w'-]*", q.lower())
    return list(dict.fromkeys(words))[:10]


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
