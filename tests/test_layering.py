"""The import contracts of ../shared/STYLE.md, checked on the source (like import-linter would)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "ftdata"


def _imports(path: Path) -> set[str]:
    """Internal modules a file imports, at any depth (TYPE_CHECKING imports included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("ftdata"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ftdata"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _modules(sub: str = "") -> list[Path]:
    root = PKG / sub if sub else PKG
    return sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]


def _hits(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [f"{f.relative_to(PKG)} imports {imp}" for f in files for imp in _imports(f)
            if any(imp == b or imp.startswith(b + ".") for b in forbidden)]


def test_model_imports_nothing_internal() -> None:
    assert _imports(PKG / "model.py") == set()


@pytest.mark.parametrize("layer, forbidden", [
    ("checks", ("ftdata.report", "ftdata.cli", "ftdata.engine", "ftdata.registry")),
    ("report", ("ftdata.checks", "ftdata.cli", "ftdata.engine", "ftdata.registry")),
    ("formats", ("ftdata.checks", "ftdata.report", "ftdata.cli", "ftdata.engine")),
    ("io", ("ftdata.checks", "ftdata.report", "ftdata.cli", "ftdata.engine", "ftdata.formats")),
])
def test_layer_does_not_reach_up(layer: str, forbidden: tuple[str, ...]) -> None:
    assert _hits(_modules(layer), forbidden) == []


def test_nothing_imports_the_cli() -> None:
    others = [f for f in _modules() if f.name != "cli.py"]
    assert _hits(others, ("ftdata.cli",)) == []
