"""The HTTP side of the real-server concurrency test: a client with its own cookies and
CSRF token, and the actions users take (sign off, upload documents, export)."""

import hashlib
import http.cookiejar
import io
import itertools
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta

from django_otp.oath import TOTP

from clinics.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from clinics.mfa import hex_from_base32
from tests.concurrency_support import EXPORT_TIMEOUT, HTTP_TIMEOUT

# ---------------------------------------------------------------------------------------
# A browser-like HTTP client: its own cookies, CSRF token, every response recorded.


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # redirects are followed (and recorded) by Client.request


def _multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]):
    boundary = f"----exocheck{secrets.token_hex(12)}"
    body = io.BytesIO()
    for name, value in fields:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, content in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Client:
    base: str
    record: list = field(default_factory=list)

    def __post_init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def request(self, method, path, *, fields=None, files=None, follow=False) -> Response:
        data, headers = None, {}
        if method == "POST":
            fields = [*(fields or []), ("csrfmiddlewaretoken", self.csrf_token())]
            if files:
                data, headers["Content-Type"] = _multipart(fields, files)
            else:
                data = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers, method=method
        )
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as raw:
                response = Response(method, path, raw.status, dict(raw.headers), raw.read())
        except urllib.error.HTTPError as error:
            response = Response(method, path, error.code, dict(error.headers), error.read())
        self.record.append((method, path, response.status))
        if follow and response.status in (301, 302, 303):
            location = urllib.parse.urlsplit(response.headers["Location"])
            target = location.path + (f"?{location.query}" if location.query else "")
            return self.request("GET", target, follow=True)
        return response

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path, fields=None, **kwargs) -> Response:
        return self.request("POST", path, fields=fields, **kwargs)

    def log_in(self, username: str) -> None:
        assert self.get("/accounts/login/").status == 200
        response = self.post(
            "/accounts/login/", [("username", username), ("password", DEMO_PASSWORD)]
        )
        assert response.status == 302, f"log-in as {username} failed: {response.status}"
        # The second step, for a user with two-factor authentication (managers, admins): a
        # recovery code, each used once (concurrency_support SETUP), since one user logs in
        # several times within 30 seconds; the app's code is kept for signing.
        step = self.get("/accounts/login/code/")
        if step.status == 200:
            code = f"concurrency{next(_RECOVERY_CODES) % 40:02d}"
            response = self.post("/accounts/login/code/", [("code", code)])
            assert response.status == 302, f"code for {username} refused: {response.status}"


_RECOVERY_CODES = itertools.count()


def totp_code(username: str) -> str:
    """The code a demo user's authenticator app shows now. The concurrency managers share
    the demo manager's published secret (concurrency_support SETUP)."""
    secret = DEMO_TOTP_SECRETS["clinicadmin" if username == "clinicadmin" else "manager"]
    return f"{TOTP(bytes.fromhex(hex_from_base32(secret))).token():06d}"


# ---------------------------------------------------------------------------------------
# What the users do.


def _pdf(title: str) -> bytes:
    """A small valid PDF (one blank page, no active content) that the upload checks accept."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


MESSAGE = re.compile(r'<div[^>]*class="[^"]*alert[^"]*"[^>]*>(.*?)</div>', re.S)


def _messages(page: str) -> str:
    return " | ".join(" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in MESSAGE.findall(page))


def sign_off(client: Client, pk: int, signer: str) -> dict:
    assert client.get(f"/assessments/{pk}/review/").status == 200
    page = client.post(
        f"/assessments/{pk}/sign-off/",
        [
            ("signed_name", signer),
            ("signed_role", "Practice manager"),
            ("meaning", "reviewed"),
            ("statement", "Approved for this lot."),
            ("password", DEMO_PASSWORD),
            # Every signer's app has the demo manager's secret (concurrency_support SETUP).
            ("otp_code", totp_code("manager")),
        ],
        follow=True,
    )
    if "is finalised and its PDF report is stored" in page.text:
        outcome = "signed"
    elif "is finalised and cannot be changed" in page.text:
        outcome = "already signed"
    else:
        outcome = f"other ({page.status}): {_messages(page.text)[:300]}"
    return {"pk": pk, "signer": signer, "outcome": outcome}


FILE_FIELD = re.compile(r'name="ev-([a-z0-9-]+)-file"')
# Only a test report asks for a result; the others are stored as "not stated".
RESULT_FIELD = re.compile(r'name="ev-([a-z0-9-]+)-result"')


def upload_documents(client: Client, pk: int, lot: str) -> dict:
    page = client.get(f"/assessments/{pk}/step/4/")
    assert page.status == 200, page.status
    slugs = sorted(set(FILE_FIELD.findall(page.text)))
    assert slugs, "step 4 offered no document to upload"
    with_result = set(RESULT_FIELD.findall(page.text))
    issued, expires = date.today() - timedelta(days=20), date.today() + timedelta(days=300)
    fields = [("testing_answer", f"Each lot tested, assessment {pk}."), ("action", "save")]
    files, expected = [], {}
    for slug in slugs:
        content = _pdf(f"{slug} for assessment {pk}")
        lab = f"Lab {pk} {slug}"
        fields += [
            (f"ev-{slug}-lab", lab),
            (f"ev-{slug}-lot", lot),
            (f"ev-{slug}-issued_on", issued.isoformat()),
            (f"ev-{slug}-expires_on", expires.isoformat()),
            (f"ev-{slug}-result", "pass"),  # ignored where not asked, as a browser never sends it
        ]
        files.append((f"ev-{slug}-file", f"{slug}.pdf", content))
        expected[slug] = {
            "lab": lab,
            "lot": lot,
            "issued_on": issued.isoformat(),
            "expires_on": expires.isoformat(),
            "result": "pass" if slug in with_result else "not-stated",
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    response = client.post(f"/assessments/{pk}/step/4/", fields, files=files)
    refused = "" if response.status == 302 else _messages(response.text)[:500]
    return {"pk": pk, "status": response.status, "expected": expected, "refused": refused}


def export_csv(client: Client) -> dict:
    response = client.get("/exports/register.csv")
    return {"status": response.status, "type": response.headers.get("Content-Type", "")}


def export_zip(client: Client, ids: list[int]) -> dict:
    response = client.post("/exports/reports.zip", [("query", ""), *(("ids", pk) for pk in ids)])
    assert response.status == 302, f"ZIP export answered {response.status}"
    job = urllib.parse.urlsplit(response.headers["Location"]).path  # /exports/jobs/<pk>/
    assert re.fullmatch(r"/exports/jobs/\d+/", job), job
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while time.monotonic() < deadline:
        client.get(f"{job}progress/")  # what the job page polls
        download = client.get(f"{job}download/")
        if download.status == 200:
            with zipfile.ZipFile(io.BytesIO(download.body)) as archive:
                names = archive.namelist()
            return {"job": job, "status": 200, "pdfs": sum(n.endswith(".pdf") for n in names)}
        time.sleep(0.5)
    return {"job": job, "status": "not ready in time"}
