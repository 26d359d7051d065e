"""Every URL × every role × own clinic / other clinic answers with exactly the status we expect.

The table below is the specification of who may do what (ASVS 8.2.1, 8.2.2). The first test
walks the URL resolver, so a new URL without an entry here fails the suite by name.

To add a URL: add a `Rule` to MATRIX with one expected status per persona, in PERSONAS order
(anonymous, clinician, practice manager, clinic admin, staff admin without a clinic), for the
clinic's own object and, when the URL points at an object, for the other clinic's object.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import Assessment, EvidenceItem
from clinics.models import Clinic, Invitation, Membership, Role, User
from exports.models import ExportJob
from notifications.models import Notification
from products.models import EvidenceType, ExosomeProduct, SourceCategory
from suppliers.models import Supplier
from tests.factories import enrol_totp, log_in
from tests.portal.support import matrix_request

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "clinician", "manager", "clinic_admin", "staff")

# Expected outcomes. LOGIN is a 302 to the login page; REDIRECT is a 302 anywhere else.
LOGIN = "302 to login"
REDIRECT = "302 elsewhere"
OK = 200
DENIED = 403
MISSING = 404
NOT_ALLOWED = 405

# Common rows, one status per persona in PERSONAS order.
ANY_MEMBER = (LOGIN, OK, OK, OK, DENIED)
MEMBER_REDIRECTED = (LOGIN, REDIRECT, REDIRECT, REDIRECT, DENIED)
OTHER_CLINICS_OBJECT = (LOGIN, MISSING, MISSING, MISSING, DENIED)
ADMIN_ONLY = (LOGIN, DENIED, DENIED, OK, DENIED)
ADMIN_ONLY_OTHER = (LOGIN, DENIED, DENIED, MISSING, DENIED)
MANAGER_ONLY = (LOGIN, DENIED, OK, DENIED, DENIED)
MANAGER_ONLY_OTHER = (LOGIN, DENIED, MISSING, DENIED, DENIED)
SIGNED_IN = (LOGIN, OK, OK, OK, OK)
EVERYONE = (OK, OK, OK, OK, OK)


@dataclass(frozen=True)
class Rule:
    own: tuple
    other: tuple | None = None
    # (objects of the clinic the URL points at) -> URL args
    args: Callable[[SimpleNamespace], list] | None = None
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] = field(default=lambda objects: {})


FAKE_PDF = b"%PDF-1.4\n% stand-in bytes: these views serve stored files, they do not parse them\n"
FAKE_ZIP = b"PK\x05\x06" + b"\x00" * 18


def pk_of(name):
    return lambda objects: [getattr(objects, name).pk]


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
}


def url_names(patterns=None, namespace=""):
    """Every named URL outside the Django admin, as 'namespace:name'."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


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


def _objects_for(clinic: Clinic, tag: str) -> SimpleNamespace:
    author = User.objects.create(username=f"author-{tag}")
    Membership.objects.create(user=author, clinic=clinic, role=Role.CLINIC_ADMIN)
    target = User.objects.create(username=f"target-{tag}", email=f"target-{tag}@x.invalid")
    supplier = Supplier.objects.create(clinic=clinic, legal_name=f"Supplier {tag}")
    product = ExosomeProduct.objects.create(
        clinic=clinic,
        supplier=supplier,
        name=f"Product {tag}",
        source_category=SourceCategory.objects.get(slug="plant"),
    )
    token, token_hash = Invitation.new_token()
    draft = Assessment.objects.create(clinic=clinic, product=product, created_by=author)
    evidence = EvidenceItem(
        clinic=clinic,
        assessment=draft,
        evidence_type=EvidenceType.objects.get(slug="certificate-of-analysis"),
        uploaded_by=author,
        original_filename="coa.pdf",
        content_type="application/pdf",
        sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
    )
    evidence.file.save("coa.pdf", ContentFile(FAKE_PDF), save=False)
    evidence.save()
    now = timezone.now()
    submitted = Assessment.objects.create(
        clinic=clinic,
        product=product,
        created_by=author,
        status=Assessment.Status.SUBMITTED,
        submitted_by=author,
        submitted_at=now,
    )
    finalised = Assessment(
        clinic=clinic,
        product=product,
        created_by=author,
        status=Assessment.Status.FINALISED,
        submitted_at=now,
        finalised_at=now,
        signed_by=author,
        report_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
    )
    finalised.report_pdf.save("report.pdf", ContentFile(FAKE_PDF), save=False)
    finalised.save()
    job = ExportJob(
        clinic=clinic,
        requested_by=author,
        status=ExportJob.Status.DONE,
        sha256=hashlib.sha256(FAKE_ZIP).hexdigest(),
    )
    job.result_file.save("export.zip", ContentFile(FAKE_ZIP), save=False)
    job.save()
    return SimpleNamespace(
        clinic=clinic,
        supplier=supplier,
        product=product,
        assessment=draft,
        evidence=evidence,
        submitted=submitted,
        finalised=finalised,
        job=job,
        membership=Membership.objects.create(user=target, clinic=clinic, role=Role.CLINICIAN),
        invitation=Invitation.objects.create(
            clinic=clinic,
            email=f"invitee-{tag}@x.invalid",
            token_hash=token_hash,
            invited_by=author,
            expires_at=Invitation.default_expiry(),
        ),
        token=token,
    )


@pytest.fixture
def world(db):
    """Two clinics with one of everything, and one signed-in client per persona."""
    clinic = Clinic.objects.create(name="Own Clinic", slug="own")
    other = Clinic.objects.create(name="Other Clinic", slug="other")
    clients = {"anonymous": Client()}
    for persona, role in [
        ("clinician", Role.CLINICIAN),
        ("manager", Role.PRACTICE_MANAGER),
        ("clinic_admin", Role.CLINIC_ADMIN),
    ]:
        # No password: these clients sign in with force_login, so no slow hashing per test.
        user = User.objects.create(username=persona)
        Membership.objects.create(user=user, clinic=clinic, role=role)
        if role != Role.CLINICIAN:
            enrol_totp(user)  # managers and admins must have two-factor authentication
        clients[persona] = log_in(Client(), user)
    staff = User.objects.create(username="staff", is_staff=True, is_superuser=True)
    clients["staff"] = Client()
    clients["staff"].force_login(staff)
    return SimpleNamespace(
        clients=clients,
        own=_objects_for(clinic, "own"),
        other=_objects_for(other, "other"),
    )


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


ADMIN_PAGES = [
    "/admin/",
    "/admin/products/sourcecategory/",
    "/admin/products/evidencetype/",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_reference_data_admin_is_for_staff_only(world, persona, path):
    response = world.clients[persona].get(path)
    if persona == "staff":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
