"""Text bytes to str, whatever the (missing, unknown or wrong) charset label says."""

# Labels that mean "Western European, single byte": real-world mail labelled
# with these is often UTF-8 (a mislabel) or Windows-1252 (the WHATWG reading).
_LATIN_LABELS = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso_8859-1", "l1"}


def decode_text(payload: bytes, charset: str | None) -> str:
    """Bytes of a text part as str, whatever its (possibly wrong) charset label says."""
    label = (charset or "").strip().strip("\"'").lower()
    if label in ("", "unknown-8bit", "x-unknown", "unknown", "default", "8bit"):
        label = ""
    if label in _LATIN_LABELS or not label:
        # A mislabelled UTF-8 part decodes strictly as UTF-8 only if it really is UTF-8.
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")
    try:
        return payload.decode(label)
    except LookupError:
        pass  # an unknown label: guess below
    except UnicodeDecodeError:
        pass  # a wrong label: guess below
    for fallback in ("utf-8", "cp1252"):
        try:
            return payload.decode(fallback)
        except UnicodeDecodeError:
            continue
    try:
        return payload.decode(label, errors="replace")
    except LookupError:
        return payload.decode("cp1252", errors="replace")
