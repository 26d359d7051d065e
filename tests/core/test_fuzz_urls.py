"""No URL answers a 500, whatever is in its query string or its forms (issue 11, finding 7).

Hypothesis sends every page of the site, as each persona (anonymous, clinician, practice
manager, clinic admin, staff admin), query strings built from the parameters the page offers
(its GET forms and links), the ones the views read (found in the source) and common ones,
with values the page offers, real ids, and nasty ones: NUL, Unicode digits, ids beyond 64
bits, impossible dates, markup, very long text. Every form on every page (found by GET-ting
the pages and reading their fields) is POSTed the same way, and so is every admin model's
list and add page. Path parameters are real ids of both clinics' objects.

The world (clinics, objects, logged-in personas) is made once for the module; each request
runs in a savepoint that is rolled back, so requests cannot disturb each other. The examples
are derandomized: both CI runs (PostgreSQL and SQLite) send the same requests.
"""

import copy

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clinics.models import Clinic, Role, User
from tests.factories import PASSWORD, enrol_totp, log_in, make_user
from tests.fuzz_support import (
    COMMON,
    World,
    admin_models,
    clinic_objects,
    endpoints,
    names_in_source,
    path_args,
    query,
    scan,
    url_name,
)
from tests.module_db_support import cookies_restored, rolled_back_at_module_end

pytestmark = pytest.mark.django_db

EXCLUDED = {
    "logout": "ends the session every other request of the test relies on",
    "assessments:report_preview": "renders a PDF with WeasyPrint on every request (about a "
    "second each) and reads no parameter; its input limits are tests/core/test_field_limits.py",
}
ENDPOINTS = [endpoint for endpoint in endpoints() if endpoint.name not in EXCLUDED]
GET_NAMES, POST_NAMES = names_in_source()
ADMIN_NAMES = {"q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"}

# A budget for about 230 URLs and admin pages: three examples each (besides a plain request
# per persona), the same every run, and no shrinking (a failure is reported as found).
FUZZ = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _media_root(module_media):
    """Replaces tests/conftest.py's per-test folder: the module's world keeps its files."""
    return module_media


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, module_media):
    """The two clinics, their objects and a logged-in client per persona, made once for the
    module (tests/module_db_support.py): logging in five personas and making a world of
    objects for each of about 230 tests was a third of this module's time."""
    with rolled_back_at_module_end(django_db_blocker):
        clinic = Clinic.objects.create(name="Harley Skin Clinic", slug="harley-skin")
        other_clinic = Clinic.objects.create(name="Other Clinic", slug="other-clinic")
        clinician = make_user("clinician", clinic, Role.CLINICIAN)
        manager = make_user("manager", clinic, Role.PRACTICE_MANAGER)
        clinic_admin = make_user("clinicadmin", clinic, Role.CLINIC_ADMIN)
        for user in (manager, clinic_admin):
            enrol_totp(user)
        other_clinician = make_user("otherclinician", other_clinic, Role.CLINICIAN)
        staff = User.objects.create_user(
            username="staff", password=PASSWORD, is_staff=True, is_superuser=True
        )
        yield World(
            clients={
                "anonymous": Client(),
                "clinician": log_in(Client(), clinician),
                "manager": log_in(Client(), manager),
                "clinic_admin": log_in(Client(), clinic_admin),
                "staff": log_in(Client(), staff),
            },
            own=clinic_objects(clinic, [clinician, manager, clinic_admin]),
            other=clinic_objects(other_clinic, [other_clinician]),
        )


@pytest.fixture
def clients(db, module_world):
    with cookies_restored(module_world.clients):
        yield module_world


def send(client, method: str, path: str, data: dict):
    """One request whose changes are undone, the client's cookies kept as they were."""
    cookies = copy.deepcopy(client.cookies)
    savepoint = transaction.savepoint()
    try:
        return getattr(client, method)(path, data)
    finally:
        transaction.savepoint_rollback(savepoint)
        client.cookies = cookies


def check(response, persona: str, method: str, path: str, data: dict):
    assert response.status_code < 500, f"{persona} {method.upper()} {path} {data!r}"


def fuzz_requests(world: World, endpoint, method: str, names: dict, personas):
    """FUZZ examples of `method` requests to `endpoint`, one per persona in each example."""
    extra = COMMON | GET_NAMES if method == "get" else POST_NAMES

    @FUZZ
    @given(data=st.data())
    def run(data):
        for persona in personas:
            path = reverse(endpoint.name, kwargs=data.draw(path_args(world, endpoint)))
            sent = data.draw(query(names, extra))
            check(send(world.clients[persona], method, path, sent), persona, method, path, sent)

    run()


def reaches(response) -> bool:
    """The persona got past the log-in and role checks (a 302 elsewhere counts: a step
    page sends a submitted assessment on, an invitation link moves its token)."""
    return response.status_code not in (302, 403, 404, 405) or (
        response.status_code == 302 and not response["Location"].startswith(reverse("login"))
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_page_fails_on_any_query_string(clients, endpoint):
    """Every persona once with a plain request; then those who reach the page, fuzzed."""
    world = clients
    names: dict[str, set[str]] = {}
    personas = []
    for persona, client in world.clients.items():
        for args in world.args(endpoint, own_only=True, limit=2):
            path = reverse(endpoint.name, kwargs=args)
            response = send(client, "get", path, {})
            check(response, persona, "get", path, {})
            for name, offered in scan(response, path).query_names().items():
                names.setdefault(name, set()).update(offered)
            if reaches(response) and persona not in personas:
                personas.append(persona)
    fuzz_requests(world, endpoint, "get", names, personas or ["anonymous"])


_FORMS: dict[str, dict[str, set[str]]] = {}
_POSTERS: dict[str, list[str]] = {}


def forms_by_url(world: World) -> tuple[dict[str, dict[str, set[str]]], dict[str, list[str]]]:
    """The fields of every form on every page each persona can open, by the URL it posts to,
    and who was offered it. Read once (names do not depend on ids) and kept for the module."""
    if _FORMS:
        return _FORMS, _POSTERS
    for endpoint in ENDPOINTS:
        for persona, client in world.clients.items():
            for args in world.args(endpoint, own_only=True):
                path = reverse(endpoint.name, kwargs=args)
                response = send(client, "get", path, {})
                if response.status_code != 200:
                    break  # this persona cannot open the page: other ids will not differ
                for form in scan(response, path).forms:
                    for target in {url_name(target) or "?" for target in form.targets}:
                        fields = _FORMS.setdefault(target, {})
                        for name, offered in form.fields.items():
                            fields.setdefault(name, set()).update(offered)
                        posters = _POSTERS.setdefault(target, [])
                        posters += [] if persona in posters else [persona]
    return _FORMS, _POSTERS


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_form_fails_on_any_input(clients, endpoint):
    """Every form, POSTed by each persona offered it (by everyone if no page offers one)."""
    world = clients
    forms, posters = forms_by_url(world)
    fields = dict(forms.get(endpoint.name, {}))
    fields.pop("csrfmiddlewaretoken", None)
    fuzz_requests(world, endpoint, "post", fields, posters.get(endpoint.name, list(world.clients)))


def fuzz_admin(client, method: str, path: str, names: dict, extra: set):
    @FUZZ
    @given(sent=query(names, extra))
    def run(sent):
        check(send(client, method, path, sent), "staff", method, path, sent)

    run()


@pytest.mark.parametrize("model", admin_models())
def test_no_admin_list_or_add_page_fails_on_any_input(clients, model):
    """The staff admin's list (search, filters, ordering, paging) and add form of each model."""
    client = clients.clients["staff"]
    app_label, model_name = model.split(".")
    for page, method in (("", "get"), ("add/", "get"), ("add/", "post")):
        path = f"/admin/{app_label}/{model_name}/{page}"
        response = send(client, "get", path, {})
        check(response, "staff", "get", path, {})
        found = scan(response, path)
        if method == "get":
            fuzz_admin(client, method, path, found.query_names(), ADMIN_NAMES)
        else:
            names = {k: v for form in found.forms for k, v in form.fields.items()}
            names.pop("csrfmiddlewaretoken", None)
            fuzz_admin(client, method, path, names, {"_save", "_continue", "_addanother"})
