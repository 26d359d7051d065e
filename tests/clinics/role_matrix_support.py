"""The world of tests/clinics/test_role_matrix.py: the personas, the expected outcomes its
MATRIX is written in, and two clinics with one of everything."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from assessments.models import Assessment, EvidenceItem
from clinics.models import Clinic, Invitation, Membership, Role, User
from exports.models import ExportJob
from products.models import EvidenceType, ExosomeProduct, SourceCategory
from suppliers.models import Supplier
from tests.factories import enrol_totp, log_in

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


def objects_for(clinic: Clinic, tag: str) -> SimpleNamespace:
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


def make_world() -> SimpleNamespace:
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
        own=objects_for(clinic, "own"),
        other=objects_for(other, "other"),
    )
