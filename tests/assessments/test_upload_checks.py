"""Evidence uploads are checked by content: what each check accepts and refuses, file by
file (tests/assessments/test_uploads.py covers the step-4 form and the downloads)."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from assessments.uploads import check_upload
from tests.wizard_support import (
    image_bytes,
    pdf_bytes,
    png_claiming,
    upload,
    with_attachment,
    with_auto_action,
    with_encryption,
    with_javascript,
    with_launch,
    with_open_action,
)

pytestmark = pytest.mark.django_db


def refused_because(name: str, content: bytes, content_type="application/pdf") -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content, content_type))
    return " ".join(error.value.messages)


# --- The checks, one by one -----------------------------------------------------------


def test_a_real_pdf_is_accepted_unchanged_with_its_sha256():
    content = pdf_bytes(pages=2)

    checked = check_upload(upload("CoA lot 42.pdf", content))

    assert checked.content == content
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.original_filename == "CoA lot 42.pdf"


@pytest.mark.parametrize(
    "name, fmt", [("scan.png", "PNG"), ("scan.jpg", "JPEG"), ("s.JPEG", "JPEG")]
)
def test_png_and_jpeg_are_accepted(name, fmt):
    checked = check_upload(upload(name, image_bytes(fmt), f"image/{fmt.lower()}"))

    assert checked.content_type in {"image/png", "image/jpeg"}


def test_images_are_reencoded_without_their_metadata():
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Sentinel Camera Maker"  # Make
    content = image_bytes("JPEG", exif=exif.tobytes())
    assert b"Sentinel Camera Maker" in content

    checked = check_upload(upload("photo.jpg", content, "image/jpeg"))

    assert b"Sentinel Camera Maker" not in checked.content
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()


def test_html_renamed_to_pdf_is_refused_as_the_wrong_type():
    reason = refused_because("coa.pdf", b"<!doctype html><html><script>x()</script></html>")

    assert "Only PDF, PNG and JPEG files are accepted" in reason


def test_png_renamed_to_pdf_is_refused():
    reason = refused_because("coa.pdf", image_bytes("PNG"))

    assert "its content is a PNG" in reason


def test_a_zip_is_refused_naming_what_it_is():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")

    reason = refused_because("coa.pdf", buffer.getvalue())

    assert "application/zip" in reason


def test_a_file_that_only_starts_like_a_pdf_is_refused():
    reason = refused_because("coa.pdf", b"%PDF-1.7\nnot really a pdf at all")

    assert "cannot be read as one" in reason


def test_an_empty_file_is_refused():
    assert "empty" in refused_because("coa.pdf", b"")


@pytest.mark.parametrize(
    "tamper, words",
    [
        (with_javascript, "JavaScript"),
        (with_open_action, "an action that runs when it is opened"),
        (with_auto_action, "automatic actions"),
        (with_launch, "launch another program"),
        (with_attachment, "embedded files"),
        (with_encryption, "encrypted"),
    ],
)
def test_pdfs_with_active_content_or_encryption_are_refused(tamper, words):
    assert words in refused_because("coa.pdf", pdf_bytes(tamper=tamper))


def test_the_size_limit_comes_from_settings(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 2000
    content = pdf_bytes()
    content += b"%" + b"x" * (2001 - len(content) - 1)
    assert len(content) == 2001

    reason = refused_because("big.pdf", content)

    assert "2.0\xa0KB" in reason or "2.0 KB" in reason
    assert "largest file accepted" in reason


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    content = pdf_bytes()
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(content)

    assert check_upload(upload("ok.pdf", content)).size == len(content)


def test_a_pixel_bomb_png_is_refused():
    assert "too large in pixels" in refused_because(
        "bomb.png", png_claiming(20000, 20000), "image/png"
    )


def test_the_clients_path_is_never_part_of_the_name():
    checked = check_upload(upload("../../etc/passwd.pdf", pdf_bytes()))

    assert checked.original_filename == "passwd.pdf"


def _with_action(kind):
    def tamper(writer):
        action = DictionaryObject({NameObject("/S"): NameObject(kind)})
        writer.pages[0][NameObject("/Annots")] = writer._add_object(
            DictionaryObject({NameObject("/A"): action})
        )

    return tamper


def _with_xfa(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/XFA"): TextStringObject("<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")}
    )


@pytest.mark.parametrize(
    ("tamper", "words"),
    [
        (_with_xfa, "XFA"),
        (_with_action("/SubmitForm"), "sends data elsewhere"),
        (_with_action("/GoToR"), "opens another file"),
        (_with_action("/RichMedia"), "rich media"),
    ],
)
def test_pdfs_with_forms_that_submit_or_run_or_link_out_are_refused(tamper, words):
    assert words in refused_because("doc.pdf", pdf_bytes(tamper=tamper))
