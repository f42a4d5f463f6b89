"""The apps are layers, and imports go down only: no app reaches one above it, not even inside a
function. The project's URLconfs, settings, WSGI and gunicorn modules compose every app and are
exempt; everything else in kimportal is the shared helpers at the bottom."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["kimportal", "accounts", "communities", "notices", "posts", "feed", "moderation"]  # bottom first
COMPOSITION = ("urls", "settings", "wsgi", "gunicorn")


def imported_apps(source: str) -> set[str]:
    """The project apps a module's source imports, function-local imports included."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(LAYERS)
    return found


def upward_imports(app: str, source: str) -> set[str]:
    return {other for other in imported_apps(source) if LAYERS.index(other) > LAYERS.index(app)}


def app_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or (app == "kimportal" and path.name.startswith(COMPOSITION)):
                continue
            yield app, path


def test_no_app_imports_a_layer_above_it():
    upward = {
        f"{path.relative_to(ROOT)} -> {', '.join(sorted(apps))}"
        for app, path in app_modules()
        if (apps := upward_imports(app, path.read_text(encoding="utf-8")))
    }
    assert upward == set()


def test_every_app_is_walked():
    walked = {app for app, _path in app_modules()}
    assert walked == set(LAYERS)
    assert sum(1 for _ in app_modules()) > 50


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("posts", "from moderation.services import post_submit", {"moderation"}),
        ("communities", "def f():\n    from feed import cache\n", {"feed"}),
        ("accounts", "import communities.hosts", {"communities"}),
        ("feed", "from posts.models import Post\nfrom . import selectors", set()),
        ("moderation", "from feed import services", set()),
    ],
)
def test_it_sees_an_arrow_against_the_order(app, source, expected):
    assert upward_imports(app, source) == expected
