"""docs/security.md names the test behind each control; those tests must exist."""

import re

from tests.paths import REPO_ROOT

ROOT = REPO_ROOT


def test_every_test_named_in_the_security_doc_exists():
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    files = {path.stem for path in (ROOT / "tests").rglob("test_*.py")}
    defined = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined.update(re.findall(r"def (test_\w+)", path.read_text(encoding="utf-8")))
    named = set(re.findall(r"\btest_\w+", doc)) - files
    missing = sorted(named - defined)
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"
    for path in set(re.findall(r"tests/[\w/]+\.py", doc)):
        assert (ROOT / path).is_file(), f"docs/security.md names a missing file: {path}"
