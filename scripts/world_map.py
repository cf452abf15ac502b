"""Make analysis/data/world.json and static/vendor/world/world.svg, the dashboard's map,
from the world-atlas package's countries-50m.json (TopoJSON of Natural Earth's 1:50m
countries, public domain; world-atlas is ISC-licensed, by Michael Bostock). Run once; the
output is committed:

    npm pack world-atlas && tar xzf world-atlas-*.tgz
    python scripts/world_map.py package/countries-50m.json static/vendor/world/world.svg \\
        > analysis/data/world.json

The map is an equirectangular projection centred on the Pacific (it runs from 25° W
eastwards to 335° E, so that Oceania is whole and in the middle), without Antarctica. Each
country is one SVG path keyed by its ISO 3166 alpha-2 code; a country too small to see at
this scale also gets a dot, so that the island states can be found and clicked.
"""

import itertools
import json
import sys

from django.conf import settings

settings.configure()

from django_countries import countries  # noqa: E402

WEST = -25.0  # the map's left edge; longitudes west of it are drawn at the right
NORTH, SOUTH = 84.0, -58.0
SCALE = 2.5  # pixels per degree
MIN_STEP = 0.6  # pixels between kept points
DOT_RADIUS = 25  # tenths of a pixel
ANTARCTICA = "010"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def project(points):
    mean = sum(lon for lon, _lat in points) / len(points)
    shift = 360.0 if mean < WEST else 0.0
    return [((lon + shift - WEST) * SCALE, (NORTH - lat) * SCALE) for lon, lat in points]


def simplify(points):
    kept = [points[0]]
    for x, y in points[1:]:
        px, py = kept[-1]
        if abs(x - px) + abs(y - py) >= MIN_STEP:
            kept.append((x, y))
    return kept


def path(rings) -> str:
    """The SVG path of a country's rings, in relative steps of a tenth of a pixel; a dot
    where the country is too small to see."""
    parts, xs, ys = [], [], []
    for points in rings:
        projected = project(points)
        xs += [x for x, _y in projected]
        ys += [y for _x, y in projected]
        kept = [(round(x * 10), round(y * 10)) for x, y in simplify(projected)]
        if len(kept) >= 3:
            steps = [f"{x1 - x0} {y1 - y0}" for (x0, y0), (x1, y1) in itertools.pairwise(kept)]
            parts.append(f"M{kept[0][0]} {kept[0][1]}l" + " ".join(steps) + "z")
    if (max(xs) - min(xs)) * (max(ys) - min(ys)) < 16:
        cx, cy, r = round(5 * (max(xs) + min(xs))), round(5 * (max(ys) + min(ys))), DOT_RADIUS
        parts.append(f"M{cx - r} {cy}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0z")
    return "".join(parts)


def main(source: str, svg_file: str) -> None:
    with open(source) as file:
        topology = json.load(file)
    arcs = decode_arcs(topology)
    rings_by_code: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        # The outer ring of each polygon: holes (lakes, enclaves) are left out at this scale.
        code = countries.alpha2(geometry["id"]) if "id" in geometry else ""
        rings_by_code.setdefault(code or "", []).extend(
            ring_points(polygon[0], arcs) for polygon in polygons
        )
    shapes = {code: path(rings) for code, rings in sorted(rings_by_code.items())}
    width, height = round(360 * SCALE), round((NORTH - SOUTH) * SCALE)
    view_box = f"0 0 {width * 10} {height * 10}"
    json.dump(
        {"view_box": view_box, "countries": {code: d for code, d in shapes.items() if code}},
        sys.stdout,
        separators=(",", ":"),
    )
    # Every country in one path, drawn under the countries that have seizures.
    with open(svg_file, "w") as file:
        file.write(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">'
            '<path fill="#dfe4ea" stroke="#ffffff" stroke-width="4" '
            f'd="{"".join(shapes.values())}"/>'
            "</svg>\n"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
