"""The API's JSON renderer (orjson) writes the bytes DRF's renderer writes."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from ncen.api.renderers import JSONRenderer
from seizures.models import Seizure

VALUES = {
    "text": 'Nadi, Fidji: café, 日本, \u2028 and \u2029, "quoted" \\ </script>',
    "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 1e16, 1e-300],
    "flags": [True, False, None],
    "moments": [
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 3, 1, 6, 40, 12, 123456, tzinfo=UTC),
        datetime(2026, 3, 1, 6, 40),
        date(2026, 3, 1),
        time(6, 40, 12, 5),
        timedelta(hours=1, seconds=3),
    ],
    "decimal": Decimal("3.200"),
    "uuid": uuid.UUID("40e250a9-980e-4726-bb95-5f4236432080"),
    "lazy": gettext_lazy("Any"),
    "error": ErrorDetail("Select a valid choice.", code="invalid_choice"),
    "choice": Seizure.Status.DRAFT,
    "keys": {1: "one", None: "none", False: "false", 2.5: "a half"},
    "containers": [(1, 2), {3}, ReturnList([1], serializer=None)],
    "serializer": ReturnDict({"a": [1]}, serializer=None),
    "empty": [{}, [], ""],
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_the_bytes_are_drfs(name):
    data = {"value": VALUES[name]}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_what_orjson_cannot_write_goes_through_drf():
    data = {"big": 2**70, "object": object()}
    with pytest.raises(TypeError):
        renderers.JSONRenderer().render(data)
    with pytest.raises(TypeError):
        JSONRenderer().render(data)
    assert JSONRenderer().render({"big": 2**70}) == b'{"big":1180591620717411303424}'


def test_indented_output_is_drfs():
    data = {"a": [1, {"b": None}]}
    media_type = "application/json; indent=4"
    assert JSONRenderer().render(data, media_type) == renderers.JSONRenderer().render(
        data, media_type
    )
    assert JSONRenderer().render(None) == b""
