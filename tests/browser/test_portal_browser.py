"""The supplier portal end to end in a real Chromium: the clinician requests, the emailed link
opens in a fresh browser with no session at phone width, the supplier answers, uploads and
submits, the clinician opens and confirms the document and takes the answers in, the verdict
updates, and the practice manager signs off. axe on every supplier page."""

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from assessments.checklist import checklist_for
from assessments.models import Assessment
from portal.models import LibraryDocument, SupplierRequest
from portal.services.requests import send_request
from products.models import EvidenceType
from tests.browser.support import axe_check, login
from tests.factories import PASSWORD, EvidenceItemFactory, code_for, evaluated
from tests.portal.support import (
    GMP,
    LINK,
    draft,
    item_of,
    page_url,
    submit_all,
    upload_data,
    upload_url,
)
from tests.wizard_support import pdf_bytes, upload

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, base_url, live_db):
    """A fresh context at phone width: no cookies, no session (the supplier's own device).
    CSP is bypassed only so that axe-core can be injected; every other site is blocked."""
    allowed = urlsplit(base_url).netloc
    context = browser.new_context(base_url=base_url, bypass_csp=True, viewport=PHONE)
    context.set_default_timeout(10_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == allowed
            or urlsplit(route.request.url).scheme in {"data", "blob"}
            else route.abort("blockedbyclient")
        ),
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def only_gmp_missing(plant_product, clinician, evidence_types):
    """A draft whose Q1 and Q3 are unanswered and whose only missing document is the GMP
    certificate: the supplier's answers and that one document decide the verdict."""
    supplier = plant_product.supplier
    supplier.contact_email, supplier.contact_name = "sales@verdant.example", "Dana Supplier"
    supplier.save()
    assessment = draft(
        plant_product,
        clinician,
        unanswered=False,
        source_category=None,
        source_answer="",
        testing_answer="",
    )
    for row in checklist_for(assessment).documents:
        if row.slug != GMP:
            EvidenceItemFactory(assessment=assessment, slug=row.slug, lot=assessment.batch_lot)
    return evaluated(assessment)


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def clinician_requests(page, assessment, mailoutbox) -> str:
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name="Request from supplier").click()
    axe_check(page)
    page.get_by_label("Why we ask (optional, shown to the supplier)").fill(
        "We are adding it to our spring menu."
    )
    page.get_by_role("button", name="Send the request").click()
    page.locator(".messages").get_by_text("sent to sales@verdant.example").wait_for()
    axe_check(page)
    assert mailoutbox, "the request email was not sent"
    return LINK.search(mailoutbox[-1].body).group(0)


def supplier_answers(phone, link):
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Harley Skin Clinic")
    expect(phone.get_by_text("We are adding it to our spring menu.")).to_be_visible()
    axe_check(phone)
    assert no_sideways_scrolling(phone)

    card = phone.locator(f"[id$='-{GMP}']")
    card.get_by_label("File (PDF, PNG or JPEG)").set_input_files(
        files=[{"name": "GMP 2026.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    card.get_by_label("Issue date").fill("2026-01-05")
    card.get_by_label("Expiry date").fill("2029-01-04")
    card.get_by_label("Laboratory or issuer").fill("BSI")
    card.get_by_role("button", name="Upload GMP certificate").click()
    phone.get_by_text("GMP certificate uploaded.").wait_for()
    axe_check(phone)

    phone.get_by_role("radio", name=re.compile(r"^Plant")).check()
    phone.get_by_label("Your answer to question 1, word for word").fill(
        "Exosome-like vesicles from Camellia sinensis leaf cell culture; nothing human."
    )
    phone.get_by_label("3. What testing is performed for sterility, content and consistency?").fill(
        "Microbial limits (ISO 17516) and NTA on every lot."
    )
    phone.get_by_role("button", name="Save answers and finish later").click()
    phone.get_by_text("Answers saved.").wait_for()
    axe_check(phone)

    phone.get_by_role("button", name="Submit to Harley Skin Clinic").click()
    phone.get_by_text("Tick the declaration to submit.").wait_for()  # kept, and says why
    axe_check(phone)
    phone.get_by_role("checkbox", name=re.compile("I confirm these answers are accurate")).check()
    phone.get_by_label("Your full name").fill("Dana Supplier")
    phone.get_by_label("Your role").fill("Quality manager")
    phone.get_by_role("textbox", name=re.compile(r"^Company")).fill("Verdant Botanics Ltd")
    phone.get_by_role("button", name="Submit to Harley Skin Clinic").click()
    phone.get_by_text("Thank you. Submitted by Dana Supplier").wait_for()
    axe_check(phone)
    assert no_sideways_scrolling(phone)


def clinician_confirms(page, assessment):
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^REQ-")).click()
    supplied = page.get_by_text("Supplied by Dana Supplier, Verdant Botanics Ltd")
    expect(supplied.first).to_be_visible()
    axe_check(page)
    with page.expect_download():
        page.get_by_role("link", name="Open the file GMP 2026.pdf").click()
    page.reload()
    expect(page.get_by_label("Issue date")).to_have_value("2026-01-05")  # as stated
    page.get_by_label("Expiry date").fill("2028-12-31")  # corrected from the file
    page.get_by_role("button", name="Confirm what it says (GMP certificate)").click()
    page.get_by_text("the findings of").wait_for()
    page.get_by_role("button", name="Use these answers in the assessment").click()
    page.get_by_text("The supplier's answers are in").wait_for()
    axe_check(page)


def test_the_whole_exchange_from_request_to_sign_off(
    axe_page, phone, browser, base_url, clinician, manager, only_gmp_missing, mailoutbox
):
    assessment = only_gmp_missing
    assert assessment.verdict == "insufficient-information"
    page = axe_page
    login(page, clinician.username)

    link = clinician_requests(page, assessment, mailoutbox)
    supplier_answers(phone, link)
    submitted = Assessment.objects.get(pk=assessment.pk)
    assert submitted.verdict == "insufficient-information"  # a bare upload is not evidence

    clinician_confirms(page, assessment)
    updated = Assessment.objects.get(pk=assessment.pk)
    assert updated.source_category.slug == "plant"
    assert updated.verdict != "insufficient-information"
    page.goto(assessment.get_absolute_url())
    expect(page.locator(".verdict-badge").first).to_have_text(updated.get_verdict_display())

    page.goto(f"/assessments/{assessment.pk}/step/5/")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/")

    manager_context = browser.new_context(base_url=base_url)
    manager_page = manager_context.new_page()
    login(manager_page, manager.username)
    manager_page.goto(f"/assessments/{assessment.pk}/review/")
    manager_page.get_by_label("Reviewed").check()
    manager_page.get_by_label("Your password").fill(PASSWORD)
    manager_page.get_by_label("Code from your authenticator app").fill(code_for(manager))
    manager_page.get_by_role("button", name="Sign off and finalise").click()
    manager_page.get_by_text("Signed off.").wait_for()
    manager_context.close()
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.FINALISED

    # Once answered, the link shows only the thank-you page; a wrong link, a plain page.
    phone.goto(link)
    phone.get_by_text("Thank you. Submitted by Dana Supplier").wait_for()
    phone.goto("/supplier/not-a-real-link/")
    phone.get_by_text("This link is not recognised").wait_for()
    axe_check(phone)


def test_a_withdrawn_link_shows_a_plain_page(axe_page, phone, clinician, plant_product, mailoutbox):
    assessment = draft(plant_product, clinician)
    page = axe_page
    login(page, clinician.username)
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name="Request from supplier").click()
    page.get_by_label("Send to").fill("sales@verdant.example")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("button", name="Withdraw the link").click()
    page.get_by_text("is withdrawn").wait_for()
    axe_check(page)
    for path in ("/portal/requests/", f"/portal/suppliers/{plant_product.supplier_id}/library/"):
        page.goto(path)
        axe_check(page)

    phone.goto(LINK.search(mailoutbox[-1].body).group(0))
    phone.get_by_text("This link no longer works").wait_for()
    assert plant_product.name not in phone.content()
    axe_check(phone)


def test_a_manager_retires_a_document_on_file(axe_page, manager, plant_product):
    content = pdf_bytes()
    document = LibraryDocument(
        clinic=plant_product.clinic,
        supplier=plant_product.supplier,
        evidence_type=EvidenceType.objects.get(slug=GMP),
        original_filename="GMP 2025.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("gmp.pdf", ContentFile(content), save=False)
    document.save()
    page = axe_page
    login(page, manager.username)

    page.goto(f"/portal/suppliers/{plant_product.supplier_id}/library/")
    axe_check(page)
    page.get_by_role("link", name="Retire GMP certificate GMP 2025.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retire GMP certificate")
    axe_check(page)
    page.get_by_role("button", name="Retire this document").click()
    page.get_by_text("This field is required").wait_for()  # a reason is needed, and says so
    axe_check(page)
    page.get_by_label("Why it is retired").fill("Superseded by the 2027 certificate.")
    page.get_by_role("button", name="Retire this document").click()
    page.get_by_text("is retired: it is no longer offered to the supplier").wait_for()
    expect(page.get_by_text("Superseded by the 2027 certificate.")).to_be_visible()
    axe_check(page)
    document.refresh_from_db()
    assert document.is_retired and document.withdrawn_by == manager


# 300 characters and no space: nowhere to break a line but inside the name.
LONG_FILE_NAME = "GMP-certificate-" + "x" * 280 + ".pdf"


def fits_the_phone(page, path: str) -> None:
    page.goto(path)
    scroll = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert scroll[0] <= scroll[1], (path, scroll)


def test_a_very_long_file_name_wraps_on_every_portal_page(
    phone, page, clinician, manager, only_gmp_missing
):
    """The supplier's page before and after submitting, then the clinic's request, library,
    retire and assessment pages, all at 390 px: the name breaks instead of the page
    scrolling sideways."""
    assessment = only_gmp_missing
    # The link is the token itself here: the supplier's pages are opened by their path.
    token = send_request(
        clinic=assessment.clinic,
        by=clinician,
        supplier=assessment.product.supplier,
        assessments=[assessment],
        email="sales@verdant.example",
        link_for=str,
    ).link
    supplier_request = SupplierRequest.objects.get()
    item = item_of(supplier_request, assessment)
    supplier = Client()
    data = upload_data(item, GMP, upload(LONG_FILE_NAME, pdf_bytes()), lot="")
    assert supplier.post(upload_url(token, item, GMP), data).status_code == 302

    fits_the_phone(phone, page_url(token))
    expect(phone.get_by_text(LONG_FILE_NAME[:40], exact=False).first).to_be_visible()
    assert submit_all(supplier, token, supplier_request).status_code == 302
    fits_the_phone(phone, page_url(token))
    expect(phone.get_by_text(LONG_FILE_NAME[:40], exact=False).first).to_be_visible()

    page.set_viewport_size(PHONE)
    login(page, manager.username)
    library = LibraryDocument.objects.get()
    for path in (
        reverse("portal:requests"),
        reverse("portal:request", args=[supplier_request.pk]),
        reverse("portal:library", args=[library.supplier_id]),
        reverse("portal:retire_library", args=[library.pk]),
        assessment.get_absolute_url(),
    ):
        fits_the_phone(page, path)
