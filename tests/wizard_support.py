"""Shared helpers for the questionnaire tests: real files, and walking a draft through steps."""

import io
import zlib
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from assessments.forms.start import new_start_token
from assessments.models import Assessment
from products.models import CellStatus, Route, SourceCategory

NEXT_YEAR = date.today() + timedelta(days=365)
LAST_YEAR = date.today() - timedelta(days=365)


def pdf_bytes(*, pages: int = 1, tamper=None) -> bytes:
    """A real PDF written by pypdf; `tamper(writer)` may add what a test needs to refuse."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if tamper:
        tamper(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_javascript(writer):
    # A document-level script in the /Names tree, as Acrobat writes one.
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hi');"),
            }
        )
    )
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(scripts)}
    )


def with_open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("x")}
    )


def with_auto_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject()


def with_launch(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc")}
    )
    writer.pages[0][NameObject("/Annots")] = writer._add_object(
        DictionaryObject({NameObject("/A"): action})
    )


def with_attachment(writer):
    writer.add_attachment("payload.txt", b"hello")


def with_encryption(writer):
    writer.encrypt("secret-password")


def image_bytes(fmt: str = "PNG", size=(40, 30), **save_args) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save_args)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge size (a pixel bomb), without allocating it."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    # IHDR starts at byte 8: length(4) type(4) width(4) height(4) ... crc over type+data.
    data[16:20] = width.to_bytes(4, "big")
    data[20:24] = height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def ref(model, slug):
    return model.objects.get(slug=slug)


def step_url(assessment, step: int) -> str:
    return reverse("assessments:step", args=[assessment.pk, step])


def start_url() -> str:
    return reverse("assessments:start")


def start(client, user, product) -> Assessment:
    """Start a draft through the start page, as a user would."""
    response = client.post(start_url(), {"token": new_start_token(user), "product": product.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Assessment.objects.filter(product=product).latest("pk")


def start_for_lot(client, user, product, lot: str = "LOT-42") -> Assessment:
    """A draft started through the start page, for a given batch/lot (step 4's documents
    are judged against it)."""
    assessment = start(client, user, product)
    assessment.batch_lot = lot
    assessment.save()
    return assessment


def step1_data(assessment, **overrides) -> dict:
    data = {
        "product": assessment.product_id,
        "batch_lot": "LOT-42",
        "jurisdiction": "UK",
        "route": ref(Route, "topical-intact-skin").pk,
        "marketed_as": "cosmetic",
        "inci": assessment.inci,
        "claims": assessment.claims,
        "action": "continue",
    }
    data.update(overrides)
    return data


def answer_source(client, assessment, slug: str | None, words: str = "", action="continue"):
    value = ref(SourceCategory, slug).pk if slug else ""
    return client.post(
        step_url(assessment, 2),
        {"source_category": value, "source_answer": words, "action": action},
    )


def answer_cells(client, assessment, slug: str | None, words: str = "", action="continue"):
    value = ref(CellStatus, slug).pk if slug else ""
    return client.post(
        step_url(assessment, 3),
        {"cell_status": value, "cell_status_answer": words, "action": action},
    )


def evidence_data(slug: str, *, file=None, lot="LOT-42", result="pass", **extra) -> dict:
    data = {
        f"ev-{slug}-lab": "Eurofins",
        f"ev-{slug}-lot": lot,
        f"ev-{slug}-issued_on": date.today().isoformat(),
        f"ev-{slug}-expires_on": NEXT_YEAR.isoformat(),
        f"ev-{slug}-result": result,
    }
    if file is not None:
        data[f"ev-{slug}-file"] = file
    data.update({f"ev-{slug}-{key}": value for key, value in extra.items()})
    return data
