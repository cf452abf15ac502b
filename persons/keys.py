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
