"""The house rules a newcomer relies on: small functions and modules, imports at the top, one
class per name, comments that say why and never how fast."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("flows", "mock_portal", "catalogue")
MAX_FUNCTION = 60
MAX_MODULE = 400


def modules():
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def code_lines(tree: ast.Module, source: str) -> int:
    """A module's lines, less its data tables: a top-level assignment of a literal of many lines
    (a dict, list, tuple or string) is data, not code to read."""
    data = 0
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Dict | ast.List | ast.Tuple | ast.Constant
        ):
            data += node.end_lineno - node.lineno + 1
    return len(source.splitlines()) - data


def test_no_function_is_longer_than_60_lines():
    long = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size} lines)")
    assert not long, long


def test_no_module_is_longer_than_400_lines_of_code():
    long = []
    for path in modules():
        source = path.read_text(encoding="utf-8")
        size = code_lines(ast.parse(source), source)
        if size > MAX_MODULE:
            long.append(f"{path.relative_to(ROOT)} ({size} lines)")
    assert not long, long


@pytest.mark.parametrize("path", modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_are_at_the_top_unless_a_comment_says_why(path):
    """An import inside a function hides what a module depends on; one that must stay there
    (a cycle, or Playwright kept out of `sesag --help` and `sesag portal`) says so in a comment on
    its line or the line above."""
    lines = path.read_text(encoding="utf-8").splitlines()
    hidden = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    here, above = lines[inner.lineno - 1], lines[inner.lineno - 2]
                    if "#" not in here and not above.strip().startswith("#"):
                        hidden.append(f"{inner.lineno}: {here.strip()}")
    assert not hidden, hidden


def test_one_class_per_name():
    """Two classes of one name (two ``Right``, two ``Box``) make a reader ask which one a module
    means; a class that only re-exports another under its name is the same class."""
    where: dict[str, list[str]] = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not {name: places for name, places in where.items() if len(places) > 1}


SPEED_FIGURE = re.compile(r"\b\d+(?:[.,]\d+)? ms\b|\b\d+(?:\.\d+)?x (?:faster|slower|the)\b|\b\d+\.\d+x\b")


def comments_and_docstrings(source: str):
    """(line, text) of every comment and docstring of a module."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        documented = isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        if documented and (docstring := ast.get_docstring(node, clean=False)) is not None:
            yield node.body[0].lineno, docstring


def test_comments_say_why_never_how_fast():
    """Speed figures drift when they are copied (a comment once quoted a ratio the code had long
    left behind): they live in bench/README.md with their date and commit, and the code points there."""
    quoted = [
        f"{path.relative_to(ROOT)}:{line} {match.group()!r}"
        for path in modules()
        for line, text in comments_and_docstrings(path.read_text(encoding="utf-8"))
        for match in SPEED_FIGURE.finditer(text)
    ]
    assert not quoted, quoted


def test_tests_share_code_through_helpers_and_fixtures_only():
    """A test module imported by another under its bare name works only while pytest puts its
    folder on sys.path; shared code lives in tests/helpers/ (imported as ``helpers.*``) or a
    conftest's fixtures."""
    crossing = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            crossing += [
                f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0].startswith(("test_", "conftest"))
            ]
    assert not crossing, crossing
