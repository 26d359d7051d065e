"""Data made once for a whole test module, for modules of many read-mostly tests (the role
matrix, the URL fuzzer) where building it for every test was most of their time.

    @pytest.fixture(scope="module")
    def module_world(django_db_setup, django_db_blocker, module_media):
        with rolled_back_at_module_end(django_db_blocker):
            yield build_the_world()

The rows live in a transaction that is rolled back when the module ends; each test still runs
in its own savepoint of it (pytest-django), so whatever a test writes is undone after it.
Files go to one folder for the module (`module_media`), which the module's own `_media_root`
fixture must keep in place of tests/conftest.py's per-test folder.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.test import Client


@contextmanager
def rolled_back_at_module_end(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextmanager
def cookies_restored(clients: dict[str, Client]) -> Iterator[dict[str, Client]]:
    """The clients as they were after the test, whatever it did (logging out, say): their
    sessions' rows are rolled back with the test, their cookies are put back here."""
    kept = {name: copy.deepcopy(client.cookies) for name, client in clients.items()}
    try:
        yield clients
    finally:
        for name, client in clients.items():
            client.cookies = kept[name]
