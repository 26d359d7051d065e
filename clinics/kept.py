"""What a clinic's pages keep between requests, until one of the clinic's rows changes.

A list page costs the same at every size (docs/performance.md), but each request still
builds its queries, model instances and rows again, though a clinic's records change far
less often than its pages are read. Database triggers give a clinic a new random stamp
whenever a row its pages show changes, whatever writes it (`ClinicStamp` lists which). A
kept value's key holds the clinic, the stamp and everything else the value depends on (the
time zone, the page's query, the user where it matters), so an entry is never read after a
change: the key changes instead.

The key also holds a digest of the project's code and templates (`code_version`), so a
deployment never reads what an earlier release kept in a shared cache.

A value that shows something the clock changes (a supplier's link that expires at a given
minute) says so while it is worked out (`changes_at`), and is kept only until then; so is a
value holding it, whether the fragment was worked out or read from the cache.

The busiest pages are kept whole (`kept_page`): for the menu's parts too, with a stand-in
where a form's CSRF token goes, which each serving replaces with the request's own.

Nothing is kept, and the work is done afresh:
- without a stamp (a database with no triggers, or a clinic no write has stamped yet);
- inside a transaction: on PostgreSQL the stamp changes at commit, so a transaction that
  has written would otherwise keep its own view under the old stamp. Outside one, each read
  sees committed rows and the stamp is read before them: a change committed in between is
  kept under a stamp that is already gone, never the reverse.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import cache as once
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet, Subquery
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from clinics.models import ClinicStamp
from core.prepared import PreparedQuery

# Entries are never stale (the key changes instead); this only bounds what old ones occupy.
KEEP_SECONDS = 6 * 3600

T = TypeVar("T")


# What a kept value can depend on besides the database: the project's code and templates.
CODE_SUFFIXES = (".py", ".html", ".txt")


@once
def code_version() -> str:
    """A digest of the project's packages and templates, worked out once per process (a
    few hundred files). Two releases never share a key, so a shared cache needs no flush."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    tops = [t for t in sorted(root.iterdir()) if (t / "__init__.py").exists() and t.name != "tests"]
    for top in [*tops, root / "templates"]:
        for path in sorted(top.rglob("*")):
            if path.suffix in CODE_SUFFIXES and "tests" not in path.parts:
                digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _stamp_query(*, clinic_id: int) -> QuerySet[Any]:
    return ClinicStamp.objects.filter(clinic_id=clinic_id).values_list("stamp")[:1]


# Read on every page that keeps something: compiled once (core/prepared.py).
STAMP = PreparedQuery(_stamp_query, ids=("clinic_id",))


def stamp_of_clinic(clinic_ref: Any) -> Subquery:
    """The stamp as a column of another query whose rows are clinics (`OuterRef("pk")`), so
    that a query every page runs anyway (the navbar's counts) reads it too: see
    `read_stamp_with`."""
    return Subquery(ClinicStamp.objects.filter(clinic_id=clinic_ref).values("stamp")[:1])


def read_stamp_with(request: Any, reader: Callable[[], str | None]) -> None:
    """`reader` gives the stamp from a query the page runs anyway (the navbar's counts, which
    read it as a column): the request's `clinic_stamp` asks it rather than running a query of
    its own, whichever part of the page asks first (the assessment page's title comes before
    the menu)."""
    request._stamp_reader = reader


def clinic_stamp(request: Any) -> str | None:
    """The request's clinic's stamp, read once per request; None without one."""
    if not hasattr(request, "_clinic_stamp"):
        reader = getattr(request, "_stamp_reader", None)
        if reader is not None:
            request._clinic_stamp = reader()
        else:
            clinic = getattr(request, "clinic", None)
            row = STAMP.first_row(clinic_id=clinic.pk) if clinic is not None else None
            request._clinic_stamp = row[0] if row else None
    stamp: str | None = request._clinic_stamp
    return stamp


def keeping_possible() -> bool:
    """Outside a transaction only (see above)."""
    return not connection.in_atomic_block


def kept_key(what: str, *, clinic_id: int, stamp: str, parts: Iterable[object] = ()) -> str:
    """The cache key: readable where it can be (what, clinic, stamp, time zone), hashed for
    the parts a page varies on (a search term can be long and hold any character)."""
    varies = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    zone = timezone.get_current_timezone_name()
    return f"kept:{what}:{code_version()}:{clinic_id}:{stamp}:{zone}:{varies[:32]}"


# The earliest moment at which the value being worked out changes by the clock alone (a list,
# so that `changes_at` can lower it), or None outside `kept`.
_CHANGES_AT: ContextVar[list[datetime] | None] = ContextVar("kept_changes_at", default=None)


def changes_at(moment: datetime) -> None:
    """Say that the value being kept shows something that changes at `moment` (a link's
    expiry): it is kept only until then. Outside `kept` this does nothing."""
    earliest = _CHANGES_AT.get()
    if earliest is not None:
        earliest[0] = min(earliest[0], moment)


def _worked_out(work: Callable[[], T], seconds: int) -> tuple[T, datetime]:
    """`work()` and until when it may be kept: `seconds` from now, or sooner if it said it
    changes sooner. A value kept inside another (a fragment of a kept page) tells the
    enclosing one too, which is then kept no longer."""
    earliest = [timezone.now() + timedelta(seconds=seconds)]
    token = _CHANGES_AT.set(earliest)
    try:
        value = work()
    finally:
        _CHANGES_AT.reset(token)
    changes_at(earliest[0])
    return value, earliest[0]


# A form's CSRF token belongs to one session: a kept fragment must never hold one.
CSRF_FIELD = 'name="csrfmiddlewaretoken"'


def without_forms(what: str, html: str) -> str:
    """`html`, or ImproperlyConfigured if it holds a form (checked kept or not, so the first
    test that renders it fails)."""
    if CSRF_FIELD in html:
        raise ImproperlyConfigured(f"the kept fragment {what!r} holds a form")
    return html


def kept(
    what: str,
    *,
    clinic_id: int,
    stamp: str | None,
    parts: Iterable[object] = (),
    work: Callable[[], T],
    seconds: int = KEEP_SECONDS,
) -> T:
    """`work()`'s value for this clinic, stamp, time zone and `parts`: from the cache when it
    is there, else worked out and kept for `seconds`."""
    if stamp is None or not keeping_possible():
        return work()
    key = kept_key(what, clinic_id=clinic_id, stamp=stamp, parts=parts)
    entry: tuple[T, datetime] | None = cache.get(key)
    if entry is not None:
        value, until = entry
        changes_at(until)  # a kept page holding this fragment is kept no longer than it
        return value
    value, until = _worked_out(work, seconds)
    remaining = math.floor((until - timezone.now()).total_seconds())
    if remaining > 0:
        cache.set(key, (value, until), remaining)
    return value


def kept_for(request: Any, what: str, *, parts: Iterable[object] = (), work: Callable[[], T]) -> T:
    """`kept` for the request's clinic; where nothing can be kept (no clinic, or inside a
    transaction) `work()` without reading the stamp."""
    clinic = getattr(request, "clinic", None)
    if clinic is None or not keeping_possible():
        return work()
    return kept(what, clinic_id=clinic.pk, stamp=clinic_stamp(request), parts=parts, work=work)


# Where a kept page's forms hold the session's CSRF token: each serving puts in the request's
# own (`kept_page`), so no token is ever kept. Letters only, so escaping never changes it.
CSRF_STAND_IN = "keptPageCsrfTokenStandIn"

# Whitespace from a line break up to a tag: the templates' indentation, a third of a page.
# (A piece's end is a tag too: the <pre> or <textarea> that follows it, or the page's end.)
_INDENTATION = re.compile(r"\n\s*(?=<|\Z)")
# Where whitespace is content: left exactly as rendered.
_PREFORMATTED = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)


def without_indentation(html: str) -> str:
    """`html` with the whitespace before each tag that starts a line reduced to the line
    break. Outside <pre> and <textarea> a browser shows any run of whitespace next to a tag
    as at most one space, so the page looks and reads the same; user text cannot hold a
    `<` (the template engine escapes it), so only markup is touched."""
    pieces = _PREFORMATTED.split(html)
    # split() gives [outside, block, tag name, outside, block, tag name, ..., outside].
    return "".join(
        _INDENTATION.sub("\n", piece) if n % 3 == 0 else piece
        for n, piece in enumerate(pieces)
        if n % 3 != 2
    )


def page_keepable(request: Any) -> bool:
    """A GET with no message waiting to be shown once (a message belongs to that request)."""
    return request.method == "GET" and len(messages.get_messages(request)) == 0


@once
def _menu_parts() -> Callable[[Any], Iterable[object]]:
    """What the menu shows that varies, for a request: the navbar's own app says
    (settings.KEPT_PAGE_MENU_PARTS), since the apps below it in the import layers keep pages
    too and cannot import it."""
    menu_parts: Callable[[Any], Iterable[object]] = import_string(settings.KEPT_PAGE_MENU_PARTS)
    return menu_parts


def kept_page(
    request: Any,
    what: str,
    *,
    template: str,
    parts: Iterable[object] = (),
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """`template` rendered whole for the clinic's stamp, the menu's parts (what the navbar
    shows that varies: templates/base.html keeps it for the same parts), the full path and
    `parts`; then served from one cache read until one of the clinic's rows changes.
    `context()` is called only when the page is worked out, so a kept page builds none of it.

    Its forms' CSRF token is kept as `CSRF_STAND_IN`, and each serving puts in the request's
    own token. A page with a message waiting is rendered afresh and not kept."""

    def rendered(extra: dict[str, Any]) -> str:
        return without_indentation(
            render_to_string(template, {**context(), **extra}, request=request)
        )

    if not page_keepable(request):
        return HttpResponse(rendered({}))
    html = kept_for(
        request,
        f"page-{what}",
        parts=[*_menu_parts()(request), request.get_full_path(), *parts],
        work=lambda: rendered({"csrf_token": CSRF_STAND_IN}),
    )
    if CSRF_STAND_IN in html:
        html = html.replace(CSRF_STAND_IN, get_token(request))
    return HttpResponse(html)
