import re

import orjson
from rest_framework import renderers

# Written by orjson where DRF's JSONRenderer would give the same bytes; datetimes, dates and
# times still go through DRF's encoder (which writes UTC as Z and keeps milliseconds). Keys
# that are not text (which OPT_NON_STR_KEYS would take, at twice the time for every answer)
# are refused by orjson, and such an answer goes through DRF's renderer.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# DRF escapes these two so that its JSON stays a subset of JavaScript. Looked for in one pass
# (two `in` tests took 0.11 ms for a page of 50 seizures, this 0.02).
_SEPARATORS = re.compile(rb"\xe2\x80[\xa8\xa9]")  # U+2028 and U+2029 in UTF-8
_ESCAPED = {"\u2028".encode(): rb"\u2028", "\u2029".encode(): rb"\u2029"}


class JSONRenderer(renderers.JSONRenderer):
    """DRF's compact JSON, written in C: json.dumps was about a tenth of a list request's CPU
    time (bench/README.md). What orjson cannot write (an integer beyond 64 bits, a value
    DRF's encoder refuses) and indented output go through DRF's renderer, as before. Two
    differences, in values the API does not give: a float with a negative exponent is
    written 1e-7 rather than 1e-07, and NaN and infinities as null rather than an error."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder_class().default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # Without a separator, sub gives back the same bytes object, as fast as search would.
        return _SEPARATORS.sub(lambda match: _ESCAPED[match[0]], body)
