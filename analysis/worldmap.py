"""The dashboard's map: the countries on the routes, shaded by their seizures, drawn over
the bundled world map (static/vendor/world/world.svg; see scripts/world_map.py)."""

import json
import math
from functools import cache
from pathlib import Path

SHAPES = Path(__file__).resolve().parent / "data" / "world.json"
SHADES = 5


@cache
def _world() -> dict:
    with SHAPES.open() as file:
        return json.load(file)


def view_box() -> str:
    return _world()["view_box"]


def shaded(route_countries: list[dict]) -> list[dict]:
    """The figures' route countries that the map has a shape for, each with its path and a
    shade from 1 to SHADES (on a logarithmic scale: a few countries carry most routes)."""
    shapes = _world()["countries"]
    drawn = [row for row in route_countries if row["country"] in shapes]
    if not drawn:
        return []
    top = math.log1p(max(row["count"] for row in drawn))
    return [
        {
            **row,
            "d": shapes[row["country"]],
            "shade": max(1, math.ceil(SHADES * math.log1p(row["count"]) / top)),
        }
        for row in drawn
    ]
