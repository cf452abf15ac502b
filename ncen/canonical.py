"""Canonical JSON: the one serialisation whose bytes are hashed, signed or compared.

Keys sorted, no insignificant whitespace, UTF-8 without escaping: the same content always
gives the same bytes, so a hash or a byte-for-byte comparison means something.
"""

import json


def canonical_json(content) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()
