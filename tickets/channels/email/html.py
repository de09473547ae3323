"""Inbound HTML: sanitised for keeping, and turned into the plain text tickets show.

Mail HTML is hostile by default: scripts, event handlers, `javascript:` and
`data:` URLs, forms, meta refreshes and remote images that tell the sender
when (and where) the mail was read. The allow-list below keeps structure and
links only; images survive only as `cid:` references to the message's own
parts (which are saved as attachments).
"""

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
        "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "ol", "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "cid"})


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Remote images are trackers; only the message's own inline parts stay.
        return value if value.lower().startswith("cid:") else None
    if tag == "a" and attribute == "href" and value.lower().startswith("cid:"):
        return None
    return value


_CLEAN_CONTENT = frozenset(
    {"script", "style", "head", "title", "template", "noscript", "button", "select", "textarea"}
)
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def sanitise(html: str) -> str:
    """An allow-listed copy of `html`: safe to keep and to show to staff."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )
    # A remote image with its src removed is an empty box (or a tracking pixel's ghost).
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_SKIP = frozenset(
    {
        "script",
        "style",
        "head",
        "title",
        "template",
        "noscript",
        "xml",
        "button",
        "select",
        "textarea",
    }
)
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})


class _TextBuilder(HTMLParser):
    """Renders HTML as readable plain text: paragraphs, list bullets, `> ` for quotes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.pre_depth = 0
        self.skip_depth = 0
        self.link_stack: list[str | None] = []
        self.link_text: list[str] = []

    # -- output helpers --
    def _prefix(self) -> str:
        return "> " * self.quote_depth

    def _flush(self) -> None:
        text = "".join(self.current)
        if self.pre_depth == 0:
            text = re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text).strip()
        self.current = []
        if text:
            for line in text.split("\n"):
                self.lines.append(self._prefix() + line)

    def _break(self, blank: bool = False) -> None:
        self._flush()
        if blank and self.lines and self.lines[-1].strip("> ") != "":
            self.lines.append(self._prefix().rstrip())

    # -- parser callbacks --
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "br":
            self._flush()
            return
        if tag == "blockquote":
            self._break(blank=True)
            self.quote_depth += 1
            return
        if tag == "pre":
            self._break(blank=True)
            self.pre_depth += 1
            return
        if tag == "li":
            self._break()
            self.current.append("- ")
            return
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"):
            self._break(blank=True)
            return
        if tag == "hr":
            self._break()
            self.lines.append(self._prefix() + "-" * 20)
            return
        if tag in ("td", "th"):
            self.current.append(" ")
            return
        if tag in _BLOCK:
            self._break()
            return
        if tag == "a":
            self.link_stack.append(dict(attrs).get("href"))
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag == "blockquote":
            self._break()
            self.quote_depth = max(0, self.quote_depth - 1)
            self._break(blank=True)
            return
        if tag == "pre":
            self._flush()
            self.pre_depth = max(0, self.pre_depth - 1)
            self._break(blank=True)
            return
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"):
            self._break(blank=True)
            return
        if tag in _BLOCK:
            self._break()
            return
        if tag == "a" and self.link_stack:
            href = (self.link_stack.pop() or "").strip()
            text = "".join(self.link_text).strip()
            if (
                href.lower().startswith(("http://", "https://"))
                and text
                and href.rstrip("/") != text.rstrip("/")
            ):
                self.current.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.current.append(data)
        if self.link_stack:
            self.link_text.append(data)

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        for line in self.lines:
            line = line.rstrip()
            if not line.strip("> ") and out and not out[-1].strip("> "):
                continue  # one blank line between blocks is enough
            out.append(line)
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    """The readable text of an HTML body (the message body of HTML-only mail)."""
    builder = _TextBuilder()
    try:
        builder.feed(html)
        builder.close()
    except Exception:  # HTMLParser is lenient, but a mail must never fail on its markup
        return re.sub(r"<[^>]*>", " ", html)
    return builder.text()
