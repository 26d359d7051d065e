"""Checking evidence uploads by what they contain, not by what they are called.

A supplier's certificate arrives as a PDF, PNG or JPEG. Before anything is stored the file
must be within the size limit, its first bytes must say it is one of those types (and agree
with its extension), a PDF must parse and carry no scripts, automatic actions, embedded
files or encryption, and an image must decode. Images are re-encoded, which drops EXIF
metadata (locations, device ids) and anything appended after the image data.
"""

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Sniffed MIME type → (stored extension, extensions a client may call it).
ALLOWED_TYPES = {
    "application/pdf": ("pdf", {"pdf"}),
    "image/png": ("png", {"png"}),
    "image/jpeg": ("jpg", {"jpg", "jpeg"}),
}
ACCEPT_ATTRIBUTE = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"

# Names that make a PDF do something when opened or carry other files inside it.
ACTIVE_PDF_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/OpenAction": "an action that runs when it is opened",
    "/AA": "automatic actions",
    "/Launch": "an instruction to launch another program",
    "/EmbeddedFiles": "embedded files",
    "/XFA": "an XFA form (which can carry scripts)",
    "/RichMedia": "rich media (Flash or video that can run code)",
    "/SubmitForm": "a form that sends data elsewhere",
    "/GoToR": "a link that opens another file",
    "/GoToE": "a link into an embedded file",
    "/ImportData": "an instruction to import data",
}
# Action types (/S) refused wherever they appear.
ACTIVE_PDF_ACTION_TYPES = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/GoToR",
    "/GoToE",
    "/ImportData",
    "/RichMedia",
}
# A walk of more objects than any certificate needs is refused rather than run for minutes.
MAX_PDF_OBJECTS = 200_000
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check: the bytes to store and what to record about them."""

    content: bytes
    content_type: str
    extension: str
    original_filename: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def as_file(self) -> ContentFile:
        # The storage path is made by evidence_upload_path from this neutral name; the
        # client's filename is kept only as display text.
        return ContentFile(self.content, name=f"evidence.{self.extension}")


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_BYTES


def display_filename(name: str) -> str:
    """The client's filename, safe to show: no folders, no control characters, not too long."""
    base = os.path.basename((name or "").replace("\\", "/"))
    printable = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (printable or "document")[:255]


def check_upload(uploaded) -> CheckedUpload:
    """Return the checked upload, or raise ValidationError saying why it was refused."""
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            "The file is %(size)s; the largest file accepted is %(limit)s.",
            code="too_large",
            params={"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
        )
    if uploaded.size == 0:
        raise ValidationError("The file is empty.", code="empty")

    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:  # the declared size was wrong
        raise ValidationError("The file is larger than the limit.", code="too_large")

    content_type = _sniffed_type(content)
    extension, allowed_extensions = ALLOWED_TYPES[content_type]
    name = display_filename(uploaded.name)
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if claimed not in allowed_extensions:
        raise ValidationError(
            "The file's name ends in “.%(claimed)s” but its content is a %(kind)s: "
            "rename it or upload the original.",
            code="extension_mismatch",
            params={"claimed": claimed or "(nothing)", "kind": extension.upper()},
        )

    if content_type == "application/pdf":
        _check_pdf(content)
    else:
        content = _reencoded_image(content, extension)
    return CheckedUpload(
        content=content, content_type=content_type, extension=extension, original_filename=name
    )


def _sniffed_type(content: bytes) -> str:
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        found = f" (its content looks like {kind.mime})" if kind else ""
        raise ValidationError(
            "Only PDF, PNG and JPEG files are accepted, and this file is none of them%(found)s.",
            code="wrong_type",
            params={"found": found},
        )
    return kind.mime


def _check_pdf(content: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "The PDF is encrypted or password-protected: ask the supplier for an "
                "unprotected copy.",
                code="pdf_encrypted",
            )
        active = _active_content(reader)
        if not len(reader.pages):
            raise ValidationError("The PDF has no pages.", code="pdf_unreadable")
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ValidationError(
            "The file says it is a PDF but cannot be read as one.", code="pdf_unreadable"
        ) from exc
    if active:
        raise ValidationError(
            "The PDF contains %(what)s, which ExoCheck does not accept: ask the supplier "
            "for a plain PDF (or print it to PDF).",
            code="pdf_active_content",
            params={"what": active},
        )


def _active_content(reader: PdfReader) -> str:
    """What active content the PDF carries (empty if none), found by walking every object
    reachable from the trailer, including those inside compressed object streams."""
    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValidationError("The PDF is too complex to check.", code="pdf_too_complex")
        if isinstance(obj, DictionaryObject):  # streams are dictionaries too
            for key, value in obj.items():
                if key in ACTIVE_PDF_KEYS:
                    return ACTIVE_PDF_KEYS[key]
                if key == "/S" and value in ACTIVE_PDF_ACTION_TYPES:
                    return ACTIVE_PDF_KEYS[value]
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return ""


def _reencoded_image(content: bytes, extension: str) -> bytes:
    fmt = "PNG" if extension == "png" else "JPEG"
    max_pixels = getattr(settings, "EVIDENCE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    unreadable = ValidationError(
        "The file says it is a %(kind)s image but cannot be read as one.",
        code="image_unreadable",
        params={"kind": fmt},
    )
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise _too_many_pixels(width, height)
            probe.verify()
        with Image.open(io.BytesIO(content), formats=[fmt]) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in {"RGB", "L", "CMYK"}:
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, fmt, **({"quality": 95} if fmt == "JPEG" else {"optimize": True}))
            return out.getvalue()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            "The image is too large in pixels to be a scanned document.", code="image_too_big"
        ) from exc
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise unreadable from exc


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        "The image is %(width)s × %(height)s pixels, too large to be a scanned document.",
        code="image_too_big",
        params={"width": width, "height": height},
    )
