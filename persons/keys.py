"""Keys for exact matching: what remains of an identifier once spaces, punctuation, case and
accents are set aside, so that "FJ 123-456" and "fj123456" are the same passport."""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_NOT_DIGIT = re.compile(r"\D")


def identifier_key(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", folded.upper())


def phone_key(value: str) -> str:
    """Digits only: "+679 990-1234" and "679 9901234" are the same line."""
    return _NOT_DIGIT.sub("", value or "")


def phone_keys(phones) -> list[str]:
    return sorted({key for key in (phone_key(phone) for phone in phones) if key})


# The kinds of identifier a typed key names ("document:FJ123456"): the regional records'
# ``nominal_keys`` hold keys of several kinds in one indexed column, and a passport number
# must not match a phone that happens to have the same digits.
DOCUMENT = "document"
PHONE = "phone"
REGISTRATION = "registration"
TAX = "tax"


def typed_key(kind: str, value: str) -> str:
    """``value`` keyed as this app keys that kind of identifier (phones by their digits,
    the others by identifier_key), prefixed with its kind; "" when nothing is left."""
    key = phone_key(value) if kind == PHONE else identifier_key(value)
    return f"{kind}:{key}" if key else ""
