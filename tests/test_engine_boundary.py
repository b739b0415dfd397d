"""The engine package imports nothing of the app: no models, signals, importer or search
service, no database layer. What it needs from the app comes in as arguments (a
DocumentFeed, engine/extensions.py)."""

import ast
from pathlib import Path

import engine

FORBIDDEN = ("sources", "archive", "django.db")
ENGINE_DIR = Path(engine.__file__).parent


def imported_modules(tree):
    """Every module an import statement names, at the top of a file or inside a function
    (relative imports resolved only as far as ``engine`` itself)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, "%s.%s" % (node.module, alias.name)


def app_imports(source):
    found = []
    for lineno, module in imported_modules(ast.parse(source)):
        if any(module == name or module.startswith(name + ".") for name in FORBIDDEN):
            found.append((lineno, module))
    return found


def test_no_engine_module_imports_the_app():
    files = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(files) > 5
    offending = {
        str(path.relative_to(ENGINE_DIR)): found
        for path in files
        if (found := app_imports(path.read_text()))
    }
    assert offending == {}


def test_the_check_finds_imports_anywhere():
    inside_a_function = "def f():\n    from sources.models import Source\n"
    assert app_imports(inside_a_function) == [(2, "sources.models"), (2, "sources.models.Source")]
    assert app_imports("import archive.settings\n") == [(1, "archive.settings")]
    assert app_imports("from django import db\n") == [(1, "django.db")]
    assert app_imports("from django.db import connections\n")
    assert app_imports("from django.conf import settings\nimport numpy\n") == []
