"""Rules for the tests themselves (issue #19): every ``pytest.raises`` says which error it expects
(``match=``), so a test cannot pass on an unrelated exception of the same class."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _raises_without_match(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "raises"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "pytest"
                and not any(k.arg == "match" for k in node.keywords)):
            lines.append(node.lineno)
    return lines


def test_the_rule_finds_a_raises_without_match():
    assert _raises_without_match("import pytest\nwith pytest.raises(ValueError):\n    pass\n") == [2]
    assert _raises_without_match("import pytest\nwith pytest.raises(ValueError, match='x'):\n    pass\n") == []


def test_every_pytest_raises_has_a_match():
    offenders = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if (found := _raises_without_match(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
