"""Draws the floors (DESIGN §3) from the code's own imports: docs/architecture/floors.svg.

    python docs/architecture/draw_floors.py

One box per app, in the order of the layers contract in pyproject.toml ([tool.importlinter]), and one
arrow for each app that imports another, with how many import statements do (module and
function level alike, as import-linter counts them). An arrow to a floor below is grey, on the right;
an arrow to a floor above or beside is red, on the left: it breaks the floors. Imports the contract
lists in ignore_imports are left out, so the picture and `lint-imports` agree.

Pure Python (ast, no graphviz) so that the picture can be remade anywhere the project runs, and a
test (tests/test_floors.py) checks that the committed SVG is what this script makes today.
"""

import ast
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).with_name("floors.svg")
SKIPPED_FOLDERS = {"migrations", "tests", "__pycache__"}

BOX_WIDTH, BOX_HEIGHT, ROW = 190, 48, 84
BOX_X, TOP = 330, 92
GREY, RED, INK = "#6b6b6b", "#c62828", "#1f1f1f"


def contract(repo: Path) -> dict:
    settings = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c for c in settings["contracts"] if c["type"] == "layers"]
    return layers


def tiers(layers: list[str], repo: Path) -> list[list[str]]:
    """The floors from top to bottom; apps on one floor are listed together ("config | demo"). An app
    the contract names but the tree does not have yet is left out."""
    floors = [[app.strip() for app in re.split(r"[|:]", layer)] for layer in layers]
    return [present for floor in floors if (present := [app for app in floor if (repo / app).is_dir()])]


def modules(app: str, repo: Path):
    for path in sorted((repo / app).rglob("*.py")):
        parts = path.relative_to(repo).with_suffix("").parts
        if SKIPPED_FOLDERS.intersection(parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imported_names(tree: ast.AST):
    """Every absolute module name an import statement names, at any depth of the module (relative
    imports stay inside their own app)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def ignored(pattern: str) -> re.Pattern:
    """import-linter's wildcards: * is one segment of a module name, ** any number of them."""

    def module(name: str) -> str:
        return re.escape(name).replace(r"\*\*", r".+").replace(r"\*", r"[^.]+")

    importer, imported = (part.strip() for part in pattern.split("->"))
    return re.compile(rf"{module(importer)} -> {module(imported)}\Z")


def dependencies(repo: Path = REPO) -> tuple[list[list[str]], Counter, int]:
    """The floors, the count of import statements from each app to each other app, and how many
    imports were left out as the contract's exceptions."""
    layers = contract(repo)
    floors = tiers(layers["layers"], repo)
    apps = {app for floor in floors for app in floor}
    exceptions = [ignored(pattern) for pattern in layers.get("ignore_imports", [])]
    counts, left_out = Counter(), 0
    for app in sorted(apps):
        for name, path in modules(app, repo):
            for imported in imported_names(ast.parse(path.read_text(), filename=str(path))):
                target = imported.split(".")[0]
                if target not in apps or target == app:
                    continue
                if any(exception.match(f"{name} -> {imported}") for exception in exceptions):
                    left_out += 1
                    continue
                counts[app, target] += 1
    return floors, counts, left_out


def floor_names(floors: list[list[str]]) -> dict[str, str]:
    """The contract's first layer is the project and the demo data, on top of the apps' floors."""
    top, *apps = floors
    names = dict.fromkeys(top, "on top, apart")
    for height, floor in enumerate(reversed(apps)):
        names.update(dict.fromkeys(floor, f"floor {height}" if height else "ground floor"))
    return names


def text(x, y, content, size=13, anchor="middle", weight="normal", fill=INK):
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}">{escape(content)}</text>'
    )


def ports(edges: list[tuple[str, str]], rows: list[str], downward: dict) -> dict:
    """Where each arc meets a box: spread down the box's side, ordered so that arcs do not cross there
    (arcs to floors above over arcs to floors below, the nearer ones inside)."""
    ends = defaultdict(list)
    for edge in edges:
        for app, other in (edge, edge[::-1]):
            distance = rows.index(app) - rows.index(other)
            ends[app, downward[edge]].append(((0 if distance > 0 else 1, distance), edge))
    position = {}
    for (app, _), items in ends.items():
        top = TOP + ROW * rows.index(app)
        for place, (_, edge) in enumerate(sorted(items)):
            position[app, edge] = top + BOX_HEIGHT * (place + 1) / (len(items) + 1)
    return position


def arc(source_y, target_y, span, downward):
    """A curve from one box's side to another's, further out the more floors it spans; the count
    goes at its outermost point."""
    bulge = 30 + 46 * span
    if downward:
        x, control = BOX_X + BOX_WIDTH, BOX_X + BOX_WIDTH + bulge
    else:
        x, control = BOX_X, BOX_X - bulge
    end = x + 8 if downward else x - 8
    path = f"M {x} {source_y:g} C {control} {source_y:g}, {control} {target_y:g}, {end} {target_y:g}"
    return path, x + 0.75 * (control - x), (source_y + target_y) / 2


def label(x, y, content, colour):
    """The count on a white ground, so that the arcs it sits on do not hide it."""
    half = 4 * len(content) + 4
    return f'<rect x="{x - half:g}" y="{y - 9:g}" width="{2 * half}" height="18" fill="#ffffff"/>' + text(
        f"{x:g}", f"{y + 4:g}", content, size=12, fill=colour
    )


def draw(repo: Path = REPO) -> str:
    floors, counts, left_out = dependencies(repo)
    rows = [app for floor in floors for app in floor]
    tier_of = {app: tier for tier, floor in enumerate(floors) for app in floor}
    names = floor_names(floors)
    height = TOP + ROW * len(rows) + 70
    width = BOX_X * 2 + BOX_WIDTH
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        "<title>The floors: which app imports which</title>",
        "<defs>",
        *(
            f'<marker id="head-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
            for name, colour in (("down", GREY), ("up", RED))
        ),
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        text(width / 2, 30, "The floors: which app imports which", size=17, weight="bold"),
        text(
            width / 2,
            52,
            "Made from the code's imports by docs/architecture/draw_floors.py. Numbers: import statements.",
            size=12,
        ),
    ]
    for row, app in enumerate(rows):
        y = TOP + ROW * row
        out.append(
            f'<rect x="{BOX_X}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" '
            f'fill="#f3efe6" stroke="{INK}" stroke-width="1.2"/>'
        )
        out.append(text(BOX_X + BOX_WIDTH / 2, y + 21, app, size=15, weight="bold"))
        out.append(text(BOX_X + BOX_WIDTH / 2, y + 38, names[app], size=11, fill=GREY))
    edges = sorted(counts, key=lambda edge: (rows.index(edge[0]), rows.index(edge[1])))
    downward = {edge: tier_of[edge[0]] < tier_of[edge[1]] for edge in edges}
    position = ports(edges, rows, downward)
    labels = []
    for edge in edges:
        source, target = edge
        span = abs(rows.index(source) - rows.index(target))
        path, apex_x, apex_y = arc(position[source, edge], position[target, edge], span, downward[edge])
        colour, name = (GREY, "down") if downward[edge] else (RED, "up")
        out.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.4" '
            f'marker-end="url(#head-{name})"><title>{escape(source)} imports {escape(target)}: '
            f"{counts[edge]}</title></path>"
        )
        labels.append(label(apex_x, apex_y, str(counts[edge]), colour))
    out.extend(labels)
    legend_y = TOP + ROW * len(rows) + 20
    out.append(
        text(
            BOX_X + BOX_WIDTH + 20,
            legend_y,
            "grey, right: imports a floor below",
            size=12,
            anchor="start",
            fill=GREY,
        )
    )
    out.append(
        text(
            BOX_X - 20,
            legend_y,
            "red, left: imports a floor above or beside",
            size=12,
            anchor="end",
            fill=RED,
        )
    )
    if left_out:
        out.append(
            text(
                width / 2,
                legend_y + 24,
                f"Not drawn: {left_out} imports that pyproject.toml's floors contract allows as exceptions.",
                size=11,
                fill=GREY,
            )
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(draw())
    sys.stdout.write(f"wrote {OUTPUT.relative_to(REPO)}\n")
