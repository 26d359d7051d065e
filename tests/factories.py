"""factory-boy factories: the one way tests and benchmarks build records directly.

Tests that exercise a flow go through the pages or the services instead (wizard_support,
the service functions); these are for the state a test starts from.
"""

import hashlib
from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.evaluation import refresh_findings
from assessments.models import Assessment, EvidenceItem
from clinics import mfa
from clinics.models import Clinic, Membership, Role, User
from products.models import CellStatus, EvidenceType, ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier

PASSWORD = "correct-horse-battery-staple-42"


def ref(model, slug):
    """A reference row by its slug (None stays None: "not answered")."""
    return model.objects.get(slug=slug) if slug else None


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda user: user.username.title())
    email = factory.LazyAttribute(lambda user: f"{user.username}@x.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(user, create, extracted, **kwargs):  # noqa: N805 - factory-boy's signature
        if create:
            user.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.CLINICIAN


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    clinic = factory.SubFactory(ClinicFactory)
    legal_name = factory.Sequence(lambda n: f"Supplier {n} Ltd")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExosomeProduct

    clinic = factory.SubFactory(ClinicFactory)
    supplier = factory.SubFactory(SupplierFactory, clinic=factory.SelfAttribute("..clinic"))
    name = factory.Sequence(lambda n: f"Product {n}")
    marketed_as = "cosmetic"
    source_category = factory.LazyFunction(lambda: ref(SourceCategory, "plant"))
    cell_status = factory.LazyFunction(lambda: ref(CellStatus, "cell-free"))


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A plant serum used on intact skin; `submitted=True` hands it to review."""

    class Meta:
        model = Assessment

    class Params:
        submitted = factory.Trait(
            status=Assessment.Status.SUBMITTED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(timezone.now),
        )

    clinic = factory.LazyAttribute(lambda assessment: assessment.product.clinic)
    product = factory.SubFactory(ProductFactory)
    created_by = factory.SubFactory(UserFactory)
    batch_lot = "LOT-2026-0042"
    jurisdiction = "UK"
    route = factory.LazyFunction(lambda: ref(Route, "topical-intact-skin"))
    marketed_as = "cosmetic"
    source_category = factory.LazyFunction(lambda: ref(SourceCategory, "plant"))
    source_answer = "Exosome-like vesicles from Camellia sinensis leaf cell culture."
    cell_status = factory.LazyFunction(lambda: ref(CellStatus, "cell-free"))
    cell_status_answer = "Cell-free: vesicles isolated by tangential flow filtration."
    testing_answer = "Each lot has a CoA from an ISO 17025 lab; site is ISO 22716 certified."


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    """A document on file, read and recorded (issue date, result); a stored file of its own."""

    class Meta:
        model = EvidenceItem
        exclude = ("slug", "content")

    class Params:
        # A record that the supplier did not provide the document: no file, nothing read.
        refused = factory.Trait(
            provided=False,
            file="",
            original_filename="",
            content_type="",
            size_bytes=0,
            sha256="",
            lab="",
            lot="",
            issued_on=None,
            expires_on=None,
            result="not-stated",
        )

    slug = "certificate-of-analysis"
    assessment = factory.SubFactory(AssessmentFactory)
    clinic = factory.LazyAttribute(lambda item: item.assessment.clinic)
    evidence_type = factory.LazyAttribute(lambda item: EvidenceType.objects.get(slug=item.slug))
    provided = True
    lab = "Eurofins Lab Ltd"
    lot = factory.LazyAttribute(lambda item: item.assessment.batch_lot)
    result = "pass"
    issued_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: date.today() + timedelta(days=335))
    uploaded_by = factory.LazyAttribute(lambda item: item.assessment.created_by)
    content = factory.LazyAttribute(
        lambda item: f"%PDF-1.4 evidence {item.slug} {item.lab}".encode()
    )
    original_filename = factory.LazyAttribute(lambda item: f"{item.slug}-certificate.pdf")
    content_type = "application/pdf"
    size_bytes = factory.LazyAttribute(lambda item: len(item.content))
    sha256 = factory.LazyAttribute(lambda item: hashlib.sha256(item.content).hexdigest())
    file = factory.LazyAttribute(lambda item: ContentFile(item.content, name=f"{item.slug}.pdf"))


def evaluated(assessment: Assessment) -> Assessment:
    """Run the rules on what the factories built, as every service does after a write."""
    refresh_findings(assessment)
    assessment.save()
    return assessment


def make_user(username: str, clinic: Clinic | None, role: str | None) -> User:
    """A user who can log in with PASSWORD, a member of `clinic` in `role` when one is given."""
    user = UserFactory(username=username)
    if clinic is not None:
        MembershipFactory(user=user, clinic=clinic, role=role)
    return user


# --- Two-factor authentication (clinics/mfa.py) -------------------------------------------


def enrol_totp(user: User) -> TOTPDevice:
    """`user`'s confirmed authenticator app, made once: two-factor authentication is on."""
    device = mfa.authenticator(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=mfa.DEVICE_NAME, confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """A code `device` accepts now. django-otp refuses a code from a time step already used
    (device.last_t) and tests log in and sign several times within 30 seconds, so the
    device forgets its last step first."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return mfa.current_code(device)


def code_for(user: User) -> str:
    """totp_code of `user`'s authenticator app; a well-formed wrong code if they have none."""
    device = mfa.authenticator(user)
    return totp_code(device) if device is not None else "000000"


def verify_session(client: Client, user: User) -> Client:
    """Mark `client`'s session as past the code step with `user`'s authenticator app (what
    django_otp.login stores), if they have one."""
    device = mfa.authenticator(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def log_in(client: Client, user: User) -> Client:
    """force_login, with the code step passed when `user` has two-factor authentication."""
    client.force_login(user)
    return verify_session(client, user)
