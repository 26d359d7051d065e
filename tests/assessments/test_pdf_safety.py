"""Rendering is safe: WeasyPrint loads only the app's own report assets (and data: URIs),
and every piece of user text is escaped, so a hostile answer is printed, never fetched."""

import socket

import pytest

from assessments.errors import ReportRenderFailed
from assessments.reports.context import REPORT_TEMPLATE, report_context
from assessments.reports.fetcher import ASSETS_DIR, SafeURLFetcher
from assessments.reports.pdf import html_to_pdf, render_pdf
from tests.reporting import make_assessment, pdf_text, sign

# Attachments are dropped from the laid-out document before the PDF is written, so they are
# never even requested; the fetcher would refuse them anyway.
ATTACHMENTS = {
    "attachment_link": '<link rel="attachment" href="file:///etc/passwd">',
    "attachment_anchor": '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    "data_attachment": '<link rel="attachment" href="data:text/plain,secret-payload">',
}
HOSTILE = {
    "img_file": '<img src="file:///etc/passwd">',
    "metadata_service": '<img src="http://169.254.169.254/latest/meta-data/">',
    "css_import": "<style>@import url(http://127.0.0.1:9/evil.css);</style>",
    "stylesheet": '<link rel="stylesheet" href="https://cdn.example.invalid/x.css">',
    "css_background": '<div style="background: url(file:///etc/passwd)">x</div>',
    "font_face": "<style>@font-face{font-family:x;src:url(http://127.0.0.1:9/f.ttf)}"
    "p{font-family:x}</style><p>x</p>",
    "escape_assets": f'<img src="{ASSETS_DIR.as_uri()}/../../../../../../etc/passwd">',
    "ftp": '<img src="ftp://127.0.0.1/x.png">',
}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket connection is recorded and fails."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network access during a PDF render")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def page(body: str) -> str:
    return f"<html><head><title>t</title></head><body><p>Report</p>{body}</body></html>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/",
        "https://example.com/x.png",
        "ftp://127.0.0.1/x",
        f"{ASSETS_DIR.as_uri()}/../../../../../etc/passwd",
        f"{ASSETS_DIR.as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"file://evil.example{ASSETS_DIR}/report.css",
        f"{ASSETS_DIR.as_uri()}/fonts/missing.ttf",
    ],
)
def test_fetcher_refuses_anything_outside_the_report_assets(url):
    fetcher = SafeURLFetcher(strict=False)
    with pytest.raises(ValueError, match="refused by ExoCheck"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


@pytest.mark.parametrize(
    "url",
    [
        f"{ASSETS_DIR.as_uri()}/report.css",
        f"{ASSETS_DIR.as_uri()}/fonts/DejaVuSans.ttf",
        "data:text/plain,hello",
    ],
)
def test_fetcher_serves_the_report_assets_and_data_uris(url):
    fetcher = SafeURLFetcher()
    response = fetcher.fetch(url)
    assert response.read()
    assert fetcher.refused == []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_resource_aborts_a_strict_render(case, no_network):
    with pytest.raises(ReportRenderFailed, match="refused"):
        html_to_pdf(page(HOSTILE[case]))

    assert no_network == []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_resource_is_skipped_and_leaks_nothing(case, no_network):
    fetcher = SafeURLFetcher(strict=False)

    pdf = html_to_pdf(page(HOSTILE[case]), url_fetcher=fetcher)

    assert pdf.startswith(b"%PDF")
    assert b"root:x:0:0" not in pdf
    assert b"/EmbeddedFiles" not in pdf
    assert b"/FileAttachment" not in pdf
    assert fetcher.refused, "the hostile URL should have reached the fetcher and been refused"
    assert no_network == []


@pytest.mark.parametrize("case", sorted(ATTACHMENTS))
def test_attachments_are_never_fetched_or_embedded(case, no_network):
    fetcher = SafeURLFetcher(strict=True)

    pdf = html_to_pdf(page(ATTACHMENTS[case]), url_fetcher=fetcher)

    assert b"root:x:0:0" not in pdf
    assert b"secret-payload" not in pdf
    assert b"/EmbeddedFiles" not in pdf
    assert b"/FileAttachment" not in pdf
    assert fetcher.refused == []
    assert no_network == []


@pytest.mark.django_db
def test_html_in_supplier_answers_is_printed_as_text_and_nothing_is_fetched(
    clinic, plant_product, clinician, evidence_types, monkeypatch, no_network
):
    fetched = []
    original_fetch = SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original_fetch(self, url, headers)

    monkeypatch.setattr(SafeURLFetcher, "fetch", spy)
    assessment = make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        source_answer='<img src="http://169.254.169.254/latest/meta-data/"> see <b>bold</b>',
        cell_status_answer='<link rel="attachment" href="file:///etc/passwd">',
        testing_answer="<script>alert(1)</script><style>@import url(http://x.invalid/a.css)</style>",
    )

    pdf = render_pdf(REPORT_TEMPLATE, report_context(assessment))

    text = " ".join(pdf_text(pdf).split())
    assert '<img src="http://169.254.169.254/latest/meta-data/"> see <b>bold</b>' in text
    assert '<link rel="attachment" href="file:///etc/passwd">' in text
    assert "<script>alert(1)</script>" in text
    assert fetched and all(url.startswith(ASSETS_DIR.as_uri()) for url in fetched)
    assert b"root:x:0:0" not in pdf and b"/EmbeddedFiles" not in pdf
    assert no_network == []


@pytest.mark.django_db
def test_every_user_supplied_field_is_escaped_in_the_signed_report(
    clinic, plant_product, supplier, clinician, manager, evidence_types
):
    marker = '<img src="http://169.254.169.254/">'
    clinic.name = f"Clinic {marker}"
    clinic.save()
    supplier.legal_name = f"Supplier {marker}"
    supplier.save()
    plant_product.name = f"Product {marker}"
    plant_product.save()
    assessment = make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        batch_lot="<b>LOT</b>",
        claims=f"Claim {marker}",
    )

    signed = sign(
        assessment, manager, signed_name=f"Name {marker}", statement=f"Statement {marker}"
    )

    text = " ".join(pdf_text(signed.report_pdf.read()).split())
    for label in ("Clinic", "Supplier", "Product", "Claim", "Name", "Statement"):
        assert f"{label} {marker}" in text, label
    assert "<b>LOT</b>" in text
