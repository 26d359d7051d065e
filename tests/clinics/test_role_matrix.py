"""Every URL × every role × own clinic / other clinic answers with exactly the status we expect.

The table below is the specification of who may do what (ASVS 8.2.1, 8.2.2). The first test
walks the URL resolver, so a new URL without an entry here fails the suite by name.

To add a URL: add a `Rule` to MATRIX with one expected status per persona, in PERSONAS order
(anonymous, clinician, practice manager, clinic admin, staff admin without a clinic), for the
clinic's own object and, when the URL points at an object, for the other clinic's object.
"""

import pytest
from django.urls import reverse

from api.tokens import create_token
from notifications.models import Notification
from tests.clinics.role_matrix_support import (
    ADMIN_ONLY,
    ADMIN_ONLY_OTHER,
    ANY_MEMBER,
    DENIED,
    EVERYONE,
    LOGIN,
    MANAGER_ONLY,
    MANAGER_ONLY_OTHER,
    MEMBER_REDIRECTED,
    MISSING,
    OK,
    OTHER_CLINICS_OBJECT,
    PERSONAS,
    REDIRECT,
    SIGNED_IN,
    Rule,
    make_world,
    pk_of,
    url_names,
)
from tests.module_db_support import cookies_restored, rolled_back_at_module_end
from tests.portal.support import matrix_library_document, matrix_request

pytestmark = pytest.mark.django_db

API_TOKEN_ONLY = (401,) * 5


MATRIX: dict[str, Rule] = {
    "dashboard": Rule(own=ANY_MEMBER),
    # The methodology is public: an inspector or a supplier reads it without an account.
    "rules": Rule(own=EVERYONE),
    # Accounts
    "login": Rule(own=(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "logout": Rule(own=(LOGIN,) * 5, method="post"),
    "password_change": Rule(own=SIGNED_IN),
    "password_change_done": Rule(own=SIGNED_IN),
    # Password reset by email is for everyone; a link that does not work says so (200).
    "password_reset": Rule(own=EVERYONE),
    "password_reset_done": Rule(own=EVERYONE),
    "password_reset_confirm": Rule(own=EVERYONE, args=lambda objects: ["MQ", "not-a-token"]),
    "password_reset_complete": Rule(own=EVERYONE),
    # Two-factor authentication: anyone signed in may set it up. Recovery codes are shown
    # once, right after they are made (otherwise back to set-up); new ones need an app
    # (clinician and staff have none here; an empty POST re-shows the form). The log-in code
    # step sends on whoever does not owe a code (tests/clinics/test_mfa.py for one who does).
    "mfa_setup": Rule(own=SIGNED_IN),
    "mfa_recovery_codes": Rule(own=(LOGIN,) + (REDIRECT,) * 4),
    "mfa_regenerate_codes": Rule(own=(LOGIN, REDIRECT, OK, OK, REDIRECT), method="post"),
    "mfa_verify": Rule(own=(LOGIN,) + (REDIRECT,) * 4),
    # Members (clinic admin)
    "members:list": Rule(own=ADMIN_ONLY),
    "members:invite": Rule(own=ADMIN_ONLY),
    "members:detail": Rule(own=ADMIN_ONLY, other=ADMIN_ONLY_OTHER, args=pk_of("membership")),
    "members:remove": Rule(
        own=(LOGIN, DENIED, DENIED, REDIRECT, DENIED),
        other=ADMIN_ONLY_OTHER,
        args=pk_of("membership"),
        method="post",
    ),
    "members:revoke_invitation": Rule(
        own=(LOGIN, DENIED, DENIED, REDIRECT, DENIED),
        other=ADMIN_ONLY_OTHER,
        args=pk_of("invitation"),
        method="post",
    ),
    # The emailed link works for whoever holds it; without one the accept page does not exist.
    "members:invitation": Rule(
        own=(REDIRECT,) * 5, other=(REDIRECT,) * 5, args=lambda objects: [objects.token]
    ),
    "members:accept_invitation": Rule(own=(MISSING,) * 5),
    # Suppliers and products
    "suppliers:list": Rule(own=ANY_MEMBER),
    "suppliers:create": Rule(own=ANY_MEMBER),
    "suppliers:detail": Rule(own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("supplier")),
    "suppliers:edit": Rule(own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("supplier")),
    "products:list": Rule(own=ANY_MEMBER),
    "products:create": Rule(own=ANY_MEMBER),
    "products:detail": Rule(own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("product")),
    "products:edit": Rule(own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("product")),
    # What the latest signed assessment of a product established (the product page's htmx part).
    "assessments:product_summary": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("product")
    ),
    # Assessments
    "assessments:list": Rule(own=ANY_MEMBER),
    "assessments:detail": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("assessment")
    ),
    # Its full technical trail, linked from its page.
    "assessments:trail": Rule(own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("assessment")),
    # The questionnaire (drafts) and evidence
    "assessments:start": Rule(own=ANY_MEMBER),
    "assessments:resume": Rule(
        own=MEMBER_REDIRECTED, other=OTHER_CLINICS_OBJECT, args=pk_of("assessment")
    ),
    "assessments:step": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=lambda o: [o.assessment.pk, 1]
    ),
    "assessments:preview": Rule(
        own=ANY_MEMBER,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [o.assessment.pk, 1],
        method="post",
    ),
    "assessments:evidence_download": Rule(
        own=ANY_MEMBER,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [o.assessment.pk, o.evidence.pk],
    ),
    "assessments:evidence_withdraw": Rule(
        own=MEMBER_REDIRECTED,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [o.assessment.pk, o.evidence.pk],
        method="post",
    ),
    "assessments:evidence_facts": Rule(
        own=ANY_MEMBER,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [o.assessment.pk, o.evidence.pk],
    ),
    "assessments:ask_supplier": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("assessment")
    ),
    # Review and sign-off (practice manager). Empty POSTs re-show the form with errors (200).
    "assessments:review_queue": Rule(own=MANAGER_ONLY),
    "assessments:review": Rule(own=MANAGER_ONLY, other=MANAGER_ONLY_OTHER, args=pk_of("submitted")),
    "assessments:return": Rule(
        own=MANAGER_ONLY, other=MANAGER_ONLY_OTHER, args=pk_of("submitted"), method="post"
    ),
    "assessments:sign_off": Rule(
        own=MANAGER_ONLY, other=MANAGER_ONLY_OTHER, args=pk_of("submitted"), method="post"
    ),
    # A reviewer's "checked" mark on one document (POST). The world's document belongs to a
    # draft: the service refuses and the manager is sent back to the review page.
    "assessments:evidence_check": Rule(
        own=(LOGIN, DENIED, REDIRECT, DENIED, DENIED),
        other=MANAGER_ONLY_OTHER,
        args=lambda o: [o.assessment.pk, o.evidence.pk],
        method="post",
    ),
    "assessments:evidence_clear_check": Rule(
        own=(LOGIN, DENIED, REDIRECT, DENIED, DENIED),
        other=MANAGER_ONLY_OTHER,
        args=lambda o: [o.assessment.pk, o.evidence.pk],
        method="post",
    ),
    "assessments:new_version": Rule(
        own=MEMBER_REDIRECTED,
        other=OTHER_CLINICS_OBJECT,
        args=pk_of("finalised"),
        method="post",
    ),
    # Reports: every member may read their clinic's reports.
    "assessments:report_preview": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("assessment")
    ),
    "assessments:report_download": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("finalised")
    ),
    # Exports (practice manager)
    "exports:register": Rule(own=MANAGER_ONLY),
    "lifecycle:register": Rule(own=ANY_MEMBER),
    "lifecycle:register_csv": Rule(own=MANAGER_ONLY),
    "lifecycle:register_xlsx": Rule(own=MANAGER_ONLY),
    "lifecycle:preferences": Rule(own=ANY_MEMBER),
    "lifecycle:recheck": Rule(own=MANAGER_ONLY),
    # The clinic's re-assessment interval: the two roles that run the clinic.
    "lifecycle:settings": Rule(own=(LOGIN, DENIED, OK, OK, DENIED)),
    # The signed token is the credential; a bad one shows "not valid", to anyone.
    "lifecycle:unsubscribe": Rule(own=EVERYONE, args=lambda objects: ["not-a-token"]),
    "exports:register_csv": Rule(own=MANAGER_ONLY),
    "exports:register_xlsx": Rule(own=MANAGER_ONLY),
    # Nothing chosen: back to the register with a message.
    "exports:reports_zip": Rule(own=(LOGIN, DENIED, REDIRECT, DENIED, DENIED), method="post"),
    "exports:job": Rule(own=MANAGER_ONLY, other=MANAGER_ONLY_OTHER, args=pk_of("job")),
    "exports:job_progress": Rule(own=MANAGER_ONLY, other=MANAGER_ONLY_OTHER, args=pk_of("job")),
    "exports:job_download": Rule(own=MANAGER_ONLY, other=MANAGER_ONLY_OTHER, args=pk_of("job")),
    # Notifications: every member has their own; another member's (here the author's) or
    # another clinic's is a 404. Opening one's own redirects (tests/notifications/test_page.py).
    "notifications:list": Rule(own=ANY_MEMBER),
    "notifications:mark_all_read": Rule(own=MEMBER_REDIRECTED, method="post"),
    "notifications:open": Rule(
        own=OTHER_CLINICS_OBJECT,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [
            Notification.objects.create(
                clinic=o.clinic, recipient=o.assessment.created_by, title="For the author"
            ).pk
        ],
        method="post",
    ),
    # Supplier portal (portal/urls.py): the clinic's pages are for its members (requests,
    # confirming documents: EDIT_ASSESSMENTS, which every role has; settings: admins).
    "portal:requests": Rule(own=ANY_MEMBER),
    "portal:new_for_assessment": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("assessment")
    ),
    "portal:new_for_supplier": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("supplier")
    ),
    "portal:library": Rule(own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=pk_of("supplier")),
    # Retiring a document on file is a reviewer's judgement: practice managers only.
    "portal:retire_library": Rule(
        own=MANAGER_ONLY,
        other=MANAGER_ONLY_OTHER,
        args=lambda o: [matrix_library_document(o).pk],
    ),
    "portal:request": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=lambda o: [matrix_request(o).pk]
    ),
    "portal:follow_up": Rule(
        own=ANY_MEMBER, other=OTHER_CLINICS_OBJECT, args=lambda o: [matrix_request(o).pk]
    ),
    "portal:revoke": Rule(
        own=MEMBER_REDIRECTED,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [matrix_request(o).pk],
        method="post",
    ),
    # Opening a supplier's file records who opened it, then sends on to the evidence download.
    "portal:open_file": Rule(
        own=MEMBER_REDIRECTED,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [matrix_request(o).items.get().docs.get().pk],
    ),
    # An empty confirmation re-shows the request page with the form's errors.
    "portal:confirm": Rule(
        own=ANY_MEMBER,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [matrix_request(o).items.get().docs.get().pk],
        method="post",
    ),
    # Not submitted yet: back to the request with a message.
    "portal:apply": Rule(
        own=MEMBER_REDIRECTED,
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [matrix_request(o).items.get().answer.pk],
        method="post",
    ),
    "portal:settings": Rule(own=ADMIN_ONLY),
    # The supplier's pages: the link is the only key, whoever is signed in (or nobody), and
    # it shows that request only; a wrong link is a 404 for everyone.
    "portal:supplier": Rule(
        own=EVERYONE, other=EVERYONE, args=lambda o: [matrix_request(o, with_token=True)]
    ),
    "portal:supplier_answers": Rule(
        own=(MISSING,) * 5, args=lambda o: ["not-a-token"], method="post"
    ),
    "portal:supplier_upload": Rule(
        own=(MISSING,) * 5, args=lambda o: ["not-a-token", 1, "gmp-certificate"], method="post"
    ),
    "portal:supplier_reuse": Rule(
        own=(MISSING,) * 5, args=lambda o: ["not-a-token", 1, 1], method="post"
    ),
    "portal:supplier_remove": Rule(
        own=(MISSING,) * 5, args=lambda o: ["not-a-token", 1], method="post"
    ),
    # The JSON API (api/, docs/api.md) answers only to an API token: a signed-in session is
    # 401 at every endpoint (tests/api/test_api_tenancy.py: every endpoint × role × clinic
    # with tokens). Its schema is public; its docs page is for anyone signed in.
    "api-v1:api-root": Rule(own=(MISSING,) * 5),
    "api-v1:openapi-json": Rule(own=EVERYONE),
    "api_docs": Rule(own=SIGNED_IN),
    # Any other address under /api/: a problem+json 404 for everyone (tests/api).
    "api_unknown": Rule(own=(MISSING,) * 5, args=lambda o: ["v1/no-such-endpoint"]),
    **{
        f"api-v1:{name}": Rule(
            own=API_TOKEN_ONLY,
            other=API_TOKEN_ONLY if record else None,
            args=pk_of(record) if record else None,
            method=name.partition("_")[0] if name.startswith(("post", "patch")) else "get",
        )
        for name, record in [
            ("list_suppliers", None),
            ("get_supplier", "supplier"),
            ("post_supplier", None),
            ("patch_supplier", "supplier"),
            ("list_products", None),
            ("get_product", "product"),
            ("post_product", None),
            ("patch_product", "product"),
            ("list_assessments", None),
            ("get_assessment", "assessment"),
            ("post_assessment", None),
            ("patch_assessment", "assessment"),
            ("post_evidence", "assessment"),
            ("post_submit", "assessment"),
            ("get_report", "finalised"),
            ("get_register", None),
            ("post_evaluate", None),
            ("get_reference", None),
        ]
    },
    # API tokens: every member manages their own; revoking another's (here the author's)
    # takes a clinic admin; another clinic's token is a 404.
    "api_tokens": Rule(own=ANY_MEMBER),
    "api_token_revoke": Rule(
        own=(LOGIN, DENIED, DENIED, REDIRECT, DENIED),
        other=OTHER_CLINICS_OBJECT,
        args=lambda o: [
            create_token(clinic=o.clinic, by=o.assessment.created_by, name="Author's").token.pk
        ],
        method="post",
    ),
}


def test_every_url_has_a_rule_in_the_matrix():
    names = set(url_names())
    missing = sorted(names - MATRIX.keys())
    assert not missing, (
        "URL(s) without an entry in tests/clinics/test_role_matrix.py MATRIX: "
        f"{', '.join(missing)}. "
        "Add the expected status for every role."
    )
    stale = sorted(MATRIX.keys() - names)
    assert not stale, f"MATRIX entries for URLs that no longer exist: {', '.join(stale)}"


@pytest.fixture(autouse=True)
def _media_root(module_media):
    """Replaces tests/conftest.py's per-test folder: the module's world keeps its files."""
    return module_media


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, module_media):
    with rolled_back_at_module_end(django_db_blocker):
        yield make_world()


@pytest.fixture
def world(db, module_world):
    """Two clinics with one of everything, and one signed-in client per persona: made once
    for the module (tests/module_db_support.py); what a test writes is undone after it."""
    with cookies_restored(module_world.clients):
        yield module_world


def _cases():
    for name in sorted(MATRIX):
        rule = MATRIX[name]
        scopes = ("own", "other") if rule.other is not None else ("own",)
        for scope in scopes:
            expected = rule.own if scope == "own" else rule.other
            assert len(expected) == len(PERSONAS), f"{name}: one status per persona"
            for persona, status in zip(PERSONAS, expected, strict=True):
                yield pytest.param(name, scope, persona, status, id=f"{name}-{scope}-{persona}")


@pytest.mark.parametrize("name, scope, persona, expected", list(_cases()))
def test_url_answers_each_role_exactly(world, name, scope, persona, expected):
    rule = MATRIX[name]
    objects = getattr(world, scope)
    url = reverse(name, args=rule.args(objects) if rule.args else [])
    client = world.clients[persona]
    response = getattr(client, rule.method)(url, rule.data(objects))
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {rule.method.upper()} {url}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    elif expected == REDIRECT:
        assert response.status_code == 302, f"{persona} {rule.method.upper()} {url}"
        assert not response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{persona} {rule.method.upper()} {url}"
