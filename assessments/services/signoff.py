"""Review and sign-off by a practice manager, and new versions of finalised assessments.

Signing finalises the record: the rules run one last time, the answers, evidence, findings
and verdict are frozen, what the record says (names included) is copied into its signed
record (assessments/signed_record.py), and the PDF is rendered once from that and stored
with its SHA-256. The slow part (rules and render, about a second) runs outside any
transaction, so no write lock is held while it runs; one short transaction then checks that
the assessment is still the one that was rendered, stores the file and saves the record. If
any step fails (the render included) nothing is finalised and no report file is left
behind. A finalised assessment is never edited again; a correction is a new version that
links to it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from assessments.errors import (
    AssessmentChanged,
    AssessmentError,
    AssessmentLocked,
    NewVersionExists,
    NotFinalised,
    NotSubmitted,
    ReportRenderFailed,
    ReportTooLarge,
    SelfSignOff,
    WrongCode,
    WrongPassword,
)
from assessments.evaluation import refresh_findings
from assessments.models import Assessment, EvidenceItem
from assessments.reports.context import REPORT_TEMPLATE, report_context
from assessments.reports.pdf import render_pdf
from assessments.signed_record import build_signed_record
from assessments.signing import SignatureMeaning, meanings_for
from clinics import mfa
from clinics.policy import Action
from clinics.services import require_action
from notifications.services import notify_returned, notify_signed_off

if TYPE_CHECKING:
    from clinics.models import User

security_log = logging.getLogger("exocheck.security")
logger = logging.getLogger("exocheck.reports")

# Answers a new version starts from: everything the clinician recorded, nothing the
# workflow (status, submission, sign-off, report) or the rules (findings) wrote.
COPIED_FIELDS = (
    "clinic_id",
    "product_id",
    "batch_lot",
    "jurisdiction",
    "route_id",
    "marketed_as",
    "inci",
    "claims",
    "source_category_id",
    "source_answer",
    "cell_status_id",
    "cell_status_answer",
    "testing_answer",
)
# What a document says, as its reader recorded it: copied to a new version, and compared
# before a signature (a change while the report renders means it no longer matches).
DOCUMENT_FACT_FIELDS = ("lab", "lot", "issued_on", "expires_on", "result", "notes")
COPIED_EVIDENCE_FIELDS = (
    "clinic_id",
    "evidence_type_id",
    "provided",
    "original_filename",
    "content_type",
    "size_bytes",
    "sha256",
    *DOCUMENT_FACT_FIELDS,
    "uploaded_by_id",
)


def _locked(assessment: Assessment) -> Assessment:
    """The row as stored, locked for this transaction: two managers cannot both act on it."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _require_submitted(current: Assessment) -> None:
    if current.is_finalised:
        raise AssessmentLocked()
    if current.status != Assessment.Status.SUBMITTED:
        raise NotSubmitted()


@transaction.atomic
def return_to_clinician(*, assessment: Assessment, by: User, comment: str) -> Assessment:
    """Send a submitted assessment back to draft, with the manager's comment on what to fix."""
    require_action(clinic=assessment.clinic, by=by, action=Action.REVIEW)
    current = _locked(assessment)
    _require_submitted(current)
    comment = (comment or "").strip()
    if not comment:
        raise AssessmentError("Write a comment telling the clinician what to change.")
    current.status = Assessment.Status.DRAFT
    current.review_comment = comment
    current.submitted_at = None
    current.submitted_by = None
    current._history_user = by
    current._change_reason = "Returned to the clinician"
    current.full_clean()
    current.save()
    notify_returned(assessment=current, by=by)
    return current


def sign_off(
    *,
    assessment: Assessment,
    by: User,
    password: str,
    otp_code: str,
    meaning: str,
    signed_name: str,
    signed_role: str,
    statement: str = "",
    site_url: str = "",
) -> Assessment:
    """Finalise a submitted assessment under the manager's electronic signature.

    Signing means re-entering one's password, entering a current code from one's
    authenticator app (`otp_code`; two distinct components, 21 CFR 11.200; a signer without
    a confirmed app is refused) and choosing what the signature means (11.50); the printed
    report carries the meaning.

    The rules and the PDF render run on a fresh read of the assessment outside any
    transaction; then one short transaction locks the row, refuses if the assessment was
    signed, returned or changed meanwhile (AssessmentLocked, NotSubmitted,
    AssessmentChanged), stores the report and saves the finalised record. Call it outside
    any transaction: a caller's transaction would hold its locks through the render.
    """
    require_action(clinic=assessment.clinic, by=by, action=Action.SIGN_OFF)
    _check_signature(assessment, by=by, password=password, otp_code=otp_code, meaning=meaning)
    signed_name, signed_role = (signed_name or "").strip(), (signed_role or "").strip()
    if not signed_name or not signed_role:
        raise AssessmentError("Print your name and role as they should appear on the report.")

    # 1. No transaction: read, evaluate and render. Nothing here writes to the database.
    current = _load_for_signing(assessment.pk)
    _require_submitted(current)
    if needs_another_signer(current, by):
        raise SelfSignOff()
    rendered_from = _fingerprint(current, list(current.evidence_items.all()))
    refresh_findings(current)
    _require_meaning_for_verdict(meaning, current.verdict)
    _mark_signed(
        current, by=by, meaning=meaning, name=signed_name, role=signed_role, statement=statement
    )
    pdf = _render_final(current, site_url=site_url)
    current.report_sha256 = hashlib.sha256(pdf).hexdigest()
    current._history_user = by
    current._change_reason = f"Signed off: {SignatureMeaning(meaning).label.lower()}"

    # 2. One short transaction: check nothing moved since the read, store, save.
    _store_finalised(current, pdf, rendered_from=rendered_from)
    logger.info(
        "Assessment %s signed off by %r; report sha256=%s",
        current.document_id,
        by.username,
        current.report_sha256,
    )
    notify_signed_off(assessment=current, by=by)
    return current


def needs_another_signer(assessment: Assessment, by: User) -> bool:
    """Four eyes: whoever submitted the assessment may not sign it off, unless the clinic
    allows single-person sign-off. sign_off refuses on it (SelfSignOff); the review page
    asks the same before showing the form, so no one spends a one-time code to learn it."""
    return assessment.submitted_by_id == by.pk and not assessment.clinic.single_person_sign_off


def _check_signature(
    assessment: Assessment, *, by: User, password: str, otp_code: str, meaning: str
) -> None:
    """The parts of the signature that do not depend on the record: the signer's own
    password, a current code from their own authenticator app (never a recovery code), and
    a meaning ExoCheck knows. The code is checked (and used up) only after the password.
    A signer without an app never gets here: require_action(SIGN_OFF) refused them."""
    if not by.check_password(password):
        security_log.warning(
            "Sign-off refused, wrong password: user=%r assessment=%s", by.username, assessment.pk
        )
        raise WrongPassword()
    if not mfa.verify_signing_code(by, otp_code):
        security_log.warning(
            "Sign-off refused, wrong authenticator code: user=%r assessment=%s",
            by.username,
            assessment.pk,
        )
        raise WrongCode()
    if meaning not in SignatureMeaning.values:
        raise AssessmentError("Choose what your signature means: reviewed or approved.")


def _mark_signed(
    current: Assessment, *, by: User, meaning: str, name: str, role: str, statement: str
) -> None:
    """Finalise `current` in memory (saved by _store_finalised), with its signed record."""
    current.status = Assessment.Status.FINALISED
    current.finalised_at = timezone.now()
    current.signed_by = by
    current.signed_name = name
    current.signed_role = role
    current.signature_meaning = meaning
    current.sign_off_statement = (statement or "").strip()
    # What the record says, from the same fresh read the PDF renders from; the report reads
    # its names back from it, so the stored PDF and the snapshot cannot disagree.
    current.signed_record = build_signed_record(current, evidence=current.evidence_items.all())


def _store_finalised(current: Assessment, pdf: bytes, *, rendered_from: tuple[object, ...]) -> None:
    """Lock the row, refuse if it moved since `rendered_from`, store the report, save."""
    storage = current.report_pdf.storage
    stored_name = ""
    try:
        with transaction.atomic():
            locked = _locked(current)
            _require_submitted(locked)
            if _fingerprint(locked, _stored_evidence(locked)) != rendered_from:
                logger.info(
                    "Sign-off of assessment %s refused: it changed during the render",
                    current.pk,
                )
                raise AssessmentChanged()
            current.report_pdf.save(f"{current.document_id}.pdf", ContentFile(pdf), save=False)
            stored_name = current.report_pdf.name
            current.full_clean()
            current.save()
    except BaseException:
        # Nothing was finalised (the save failed, the commit failed, or the request was
        # interrupted): the report written above must not stay behind as an orphan.
        if stored_name:
            _delete_stored(storage, stored_name)
        raise


def _require_meaning_for_verdict(meaning: str, verdict: str) -> None:
    """A product that is not permitted, or whose safety is not shown, is never "approved"."""
    allowed = meanings_for(verdict)
    if meaning not in allowed:
        words = " or ".join(m.label.lower() for m in allowed)
        raise AssessmentError(
            f"With the verdict “{verdict.replace('-', ' ')}” this record can be signed as "
            f"{words}, not {SignatureMeaning(meaning).label.lower()}."
        )


# What the rules and the report read from each document: a change to any of these while
# the report renders means the rendered report no longer describes the stored assessment.
EVIDENCE_FINGERPRINT_FIELDS = (
    "pk",
    "evidence_type_id",
    "provided",
    "file",
    "sha256",
    "original_filename",
    *DOCUMENT_FACT_FIELDS,
)


def _load_for_signing(pk: int) -> Assessment:
    """The stored assessment with everything the rules and the report read, read afresh
    (never a caller's instance, which may be stale or carry prefetched documents)."""
    return (
        Assessment.objects.with_related()
        .select_related("clinic", "submitted_by", "previous_version")
        .prefetch_related(
            models.Prefetch(
                "evidence_items",
                queryset=EvidenceItem.objects.select_related("evidence_type").order_by("pk"),
            )
        )
        .get(pk=pk)
    )


def _stored_evidence(assessment: Assessment) -> list[EvidenceItem]:
    return list(EvidenceItem.objects.filter(assessment_id=assessment.pk).order_by("pk"))


def _fingerprint(assessment: Assessment, evidence: Iterable[EvidenceItem]) -> tuple[object, ...]:
    """The assessment's last save plus what each of its documents says. Every write to an
    assessment saves it (auto_now `updated_at`); documents are compared field by field
    because a document can change without a save of its assessment."""
    documents = sorted(_document_key(item) for item in evidence)
    return (assessment.status, assessment.updated_at, tuple(documents))


def _document_key(item: EvidenceItem) -> tuple[object, ...]:
    # A FieldFile compares by name; str() keeps the key a plain value.
    return tuple(
        str(item.file) if name == "file" else getattr(item, name)
        for name in EVIDENCE_FINGERPRINT_FIELDS
    )


def _delete_stored(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete the unused report file %s", name)


def _render_final(assessment: Assessment, *, site_url: str) -> bytes:
    try:
        pdf: bytes = render_pdf(REPORT_TEMPLATE, report_context(assessment, site_url=site_url))
        return pdf
    except ReportTooLarge:
        # Its message says which limit and what to shorten; the render already logged it.
        logger.warning("Final report for assessment %s is too large to render", assessment.pk)
        raise
    except Exception as error:
        logger.exception("Final report for assessment %s failed to render", assessment.pk)
        raise ReportRenderFailed() from error


@transaction.atomic
def start_new_version(*, assessment: Assessment, by: User) -> Assessment:
    """A new draft copying a finalised assessment's answers and evidence (the same stored
    files), numbered version + 1 and linked to it. The finalised one stays as it is."""
    require_action(clinic=assessment.clinic, by=by, action=Action.EDIT_ASSESSMENTS)
    current = _locked(assessment)
    if not current.is_finalised:
        raise NotFinalised()
    newer = current.next_versions.first()
    if newer is not None:
        raise NewVersionExists(newer=newer)

    draft = Assessment(
        version=current.version + 1,
        previous_version=current,
        created_by=by,
        status=Assessment.Status.DRAFT,
        current_step=1,
        **{name: getattr(current, name) for name in COPIED_FIELDS},
    )
    draft._history_user = by
    draft._change_reason = f"New version of {current.document_id}"
    draft.full_clean()
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError as error:
        # Someone else started the new version a moment ago (one per assessment).
        raise NewVersionExists(newer=current.next_versions.first()) from error

    for item in current.evidence_items.all():
        copy = EvidenceItem(
            assessment=draft,
            # The same stored file: evidence is immutable once uploaded, so sharing is safe
            # and the hash printed on both versions' reports is the same file's.
            file=item.file.name,
            **{name: getattr(item, name) for name in COPIED_EVIDENCE_FIELDS},
        )
        copy._history_user = by
        copy.full_clean()
        copy.save()

    refresh_findings(draft)
    draft._change_reason = "Evaluated with the copied evidence"
    draft.save()
    return draft
