"""The shape a newcomer can carry on with (README "Architecture"): no module over 400 lines
and no function over 60 outside tests, migrations and benchmarks."""

import ast
import re

from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
PACKAGES = (
    "api",
    "assessments",
    "clinics",
    "core",
    "exports",
    "lifecycle",
    "notifications",
    "portal",
    "products",
    "suppliers",
)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := path.read_text().count("\n")) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    assert long == {}


def test_no_test_module_imports_another():
    """Shared helpers live in *_support.py, factories.py or a package's support.py, so each
    test module can be read, moved or deleted on its own."""
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if re.match(r"(from|import) tests(\.\w+)*\.(test_\w+|conftest)\b", stripped):
                offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert not offenders, "\n".join(offenders)


def test_coverage_and_the_import_contracts_cover_every_package():
    """CI prints coverage for `[tool.coverage.run] source`: a package left out of it (or out
    of the import contracts' root packages) would go unmeasured without anyone noticing."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    measured = set(config["tool"]["coverage"]["run"]["source"])
    contracted = set(config["tool"]["importlinter"]["root_packages"])
    assert measured == contracted == {*PACKAGES, "config"}
