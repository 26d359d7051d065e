"""Helpers for tests/core/test_fuzz_urls.py: every URL of the site, the parameters and form
fields each page offers, a world of real objects to point the URLs at, and nasty values.

Nothing here is a list of URLs or parameters to keep up to date: URLs come from the resolver,
parameters from the pages themselves (their GET forms and links), from the source (every
`request.GET.get("...")` / `request.POST.get("...")`) and from a few names every list page
may be sent. A new page is fuzzed the day it is added.
"""

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from hypothesis import strategies as st

from assessments.models import Assessment
from clinics.models import Invitation, Membership, Role
from exports.models import ExportJob
from notifications.models import Notification
from tests.factories import AssessmentFactory, EvidenceItemFactory, ProductFactory, UserFactory
from tests.paths import REPO_ROOT

PERSONAS = ("anonymous", "clinician", "manager", "clinic_admin", "staff")
APPS = ("assessments", "clinics", "core", "exports", "notifications", "products", "suppliers")

# --- Values -----------------------------------------------------------------------------------

# What broke pages before, and its relatives: NUL, Unicode digits, ids beyond 64 bits,
# negative and float-looking numbers, impossible dates, markup, and very long text.
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "²",
    "١٢",
    "𝟘",
    "9" * 25,
    str(2**63),
    str(2**63 - 1),
    "-1",
    "0",
    "1e3",
    "1.5",
    " 1 ",
    "%00",
    "null",
    "[]",
    "{}",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202eevil",
    "\ufeff\u200b",
    "\U0010ffff",
    "x" * 5000,
    "1" * 500,
]
# Any text Django can receive: lone surrogates cannot be encoded as UTF-8 by any client.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NASTY = st.one_of(
    TEXT, st.sampled_from(SPECIAL), st.builds(str.__mul__, TEXT, st.integers(50, 400))
)


def values(candidates) -> st.SearchStrategy:
    """One value for a parameter: one the page itself offers, a real id, or a nasty one."""
    known = sorted(set(candidates))
    return st.one_of(st.sampled_from(known), NASTY) if known else NASTY


def query(names: dict[str, set[str]], extra: set[str]) -> st.SearchStrategy:
    """A query string or form body: some of the page's names (and a few unknown ones), each
    with one or more values."""
    every = sorted(set(names) | extra)
    pairs = st.sampled_from(every).flatmap(
        lambda name: st.tuples(
            st.just(name), st.lists(values(names.get(name, ())), min_size=1, max_size=3)
        )
    )
    return st.lists(pairs, max_size=6, unique_by=lambda pair: pair[0]).map(dict)


# --- URLs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str
    app: str
    params: tuple[tuple[str, str], ...]  # (keyword, converter class name)

    def __str__(self):
        return self.name


def endpoints(patterns=None, namespace="", prefix="") -> list[Endpoint]:
    """Every named URL outside the Django admin (test_fuzz_urls fuzzes the admin by model)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += endpoints(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = {**getattr(pattern.pattern, "converters", {})}
            keywords = re.findall(r"<(?:\w+:)?(\w+)>", route)
            params = tuple((key, type(converters.get(key)).__name__) for key in keywords)
            app = pattern.callback.__module__.split(".")[0]
            found.append(Endpoint(f"{namespace}{pattern.name}", route, app, params))
    return sorted(found, key=str)


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def admin_models() -> list[str]:
    """'app_label.model' of every model registered in the Django admin."""
    return sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)


# --- What a page offers -----------------------------------------------------------------------


@dataclass
class Form:
    method: str
    targets: list[str]
    fields: dict[str, set[str]] = field(default_factory=dict)


class PageScan(HTMLParser):
    """The forms of a page (method, where they post, each field's offered values) and the
    query strings of its links."""

    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            targets = [a.get("action") or self.path] + [
                a[k] for k in ("hx-post", "hx-get") if a.get(k)
            ]
            self.forms.append(Form((a.get("method") or "get").lower(), targets))
        elif tag == "a" and "?" in a.get("href", ""):
            self.links.append(a["href"])
        elif self.forms and tag in ("input", "select", "textarea", "button") and a.get("name"):
            if a.get("type") == "file":
                return
            self.forms[-1].fields.setdefault(a["name"], set()).add(a.get("value", ""))
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self.forms and self._select:
            self.forms[-1].fields[self._select].add(a.get("value", ""))

    def query_names(self) -> dict[str, set[str]]:
        """The parameters this page's GET forms and links send back to it."""
        names: dict[str, set[str]] = {}
        for form in self.forms:
            if form.method == "get":
                for name, offered in form.fields.items():
                    names.setdefault(name, set()).update(offered)
        for link in self.links:
            for name, value in parse_qsl(urlsplit(link).query, keep_blank_values=True):
                names.setdefault(name, set()).add(value)
        return names


def scan(response, path: str) -> PageScan:
    page = PageScan(path)
    if "html" in response.get("Content-Type", "") and not response.streaming:
        page.feed(response.content.decode(errors="replace"))
    return page


def names_in_source() -> tuple[set[str], set[str]]:
    """Every parameter name the views read straight from request.GET / request.POST."""
    read = re.compile(r"request\.(GET|POST)(?:\.get|\.getlist|\.pop)?[\(\[]\s*[\"'](\w+)[\"']")
    found: dict[str, set[str]] = {"GET": set(), "POST": set()}
    for package in APPS:
        for path in (REPO_ROOT / package).rglob("*.py"):
            for method, name in read.findall(path.read_text(encoding="utf-8")):
                found[method].add(name)
    return found["GET"], found["POST"]


# Names any list, filter or export page may be sent, whether or not it reads them.
COMMON = {"page", "q", "ids", "product", "supplier", "status", "verdict", "source", "sort", "next"}


# --- A world to point the URLs at ------------------------------------------------------------

FAKE_PDF = b"%PDF-1.4\n% stand-in bytes: these views serve stored files, they do not parse them\n"
FAKE_ZIP = b"PK\x05\x06" + b"\x00" * 18


def _finalised(clinic, product, author) -> Assessment:
    now = timezone.now()
    finalised = AssessmentFactory.build(
        product=product,
        clinic=clinic,
        created_by=author,
        status=Assessment.Status.FINALISED,
        submitted_by=author,
        submitted_at=now,
        finalised_at=now,
        signed_by=author,
        report_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
    )
    finalised.report_pdf.save("report.pdf", ContentFile(FAKE_PDF), save=False)
    finalised.save()
    return finalised


def _job(clinic, author) -> ExportJob:
    job = ExportJob(
        clinic=clinic,
        requested_by=author,
        status=ExportJob.Status.DONE,
        sha256=hashlib.sha256(FAKE_ZIP).hexdigest(),
    )
    job.result_file.save("export.zip", ContentFile(FAKE_ZIP), save=False)
    job.save()
    return job


def clinic_objects(clinic, readers) -> dict[str, list]:
    """One of everything in `clinic`, by the app whose URLs point at it; `readers` get a
    notification each."""
    author = UserFactory()
    Membership.objects.create(user=author, clinic=clinic, role=Role.PRACTICE_MANAGER)
    product = ProductFactory(clinic=clinic)
    draft = AssessmentFactory(product=product, created_by=author)
    evidence = EvidenceItemFactory(assessment=draft)
    submitted = AssessmentFactory(product=product, created_by=author, submitted=True)
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        clinic=clinic,
        email=f"invitee-{clinic.slug}@x.invalid",
        token_hash=token_hash,
        invited_by=author,
        expires_at=Invitation.default_expiry(),
    )
    notifications = [
        Notification.objects.create(clinic=clinic, recipient=user, title="Fuzz", url="/")
        for user in [author, *readers]
    ]
    return {
        "suppliers": [product.supplier],
        "products": [product],
        "assessments": [draft, submitted, _finalised(clinic, product, author), product, evidence],
        "exports": [_job(clinic, author)],
        "notifications": notifications,
        "clinics": [Membership.objects.get(user=author), invitation, token],
    }


@dataclass
class World:
    clients: dict
    own: dict[str, list]
    other: dict[str, list]

    def pool(self, endpoint: Endpoint, keyword: str, own_only: bool = False) -> list:
        """Values for one path parameter: the clinic's objects of the URL's app (and the
        other clinic's), and one id no row has."""
        if keyword == "step":
            return list(range(0, 8))
        sides = [self.own] if own_only else [self.own, self.other]
        objects = [item for side in sides for item in side.get(endpoint.app, [])]
        objects = objects or [item for side in sides for group in side.values() for item in group]
        found = (
            [item for item in objects if isinstance(item, str)]
            if keyword == "token"
            else [item.pk for item in objects if not isinstance(item, str)]
        )
        return found + ([] if own_only else [2**63 - 1])

    def args(self, endpoint: Endpoint, own_only: bool = False, limit: int = 24) -> list[dict]:
        """Path arguments to visit `endpoint` with (every combination, up to `limit`)."""
        choices = [
            [(keyword, value) for value in self.pool(endpoint, keyword, own_only)]
            for keyword, _converter in endpoint.params
        ]
        return [dict(combo) for combo in itertools.islice(itertools.product(*choices), limit)]


def path_args(world: World, endpoint: Endpoint) -> st.SearchStrategy:
    """Path arguments drawn from the world's objects; free text for a string parameter."""
    parts = {}
    for keyword, converter in endpoint.params:
        pool = world.pool(endpoint, keyword)
        if converter in ("StringConverter", "SlugConverter") and not pool:
            alphabet = (
                "abcXYZ019-_"
                if converter == "SlugConverter"
                else st.characters(blacklist_categories=("Cs",), blacklist_characters="/")
            )
            parts[keyword] = st.text(alphabet, min_size=1, max_size=60)
        else:
            parts[keyword] = st.sampled_from(pool) if pool else st.integers(1, 2**63 - 1)
    return st.fixed_dictionaries(parts)
