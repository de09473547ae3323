"""Phone numbers as we store them: E.164 (`+` and up to 15 digits)."""

import re

_SEPARATORS = re.compile(r"[\s().\-/]")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def normalise_phone(text: str) -> str | None:
    """`+34 600-111-222` or `0034600111222` as `+34600111222`; None when it is no E.164 number."""
    if not isinstance(text, str):
        return None
    number = _SEPARATORS.sub("", text.strip())
    if number.startswith("00"):
        number = "+" + number[2:]
    return number if _E164.match(number) else None


def placeholder_email(phone: str) -> str:
    """The address a customer known only by phone gets: `.invalid` never receives mail (RFC 2606)."""
    return f"sms-{phone.lstrip('+')}@sms.invalid"
