"""The demo and benchmark seeding sit above the apps: they import the apps, never the reverse."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cms", "courses", "bookings", "certificates")


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("app", APPS)
def test_apps_never_import_demo_or_bench(app):
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / app).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in ("demo", "bench")
    ]
    assert offenders == []


def test_no_app_keeps_a_demo_module():
    assert [app for app in APPS if (ROOT / app / "demo.py").exists()] == []
