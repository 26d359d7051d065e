"""Where the repository is, for tests that read its files (docs, settings, source)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
