"""`make prod-smoke`: the production stack on this machine (scripts/prodstack.py), driven over https.

A member uploads a photo and submits a post, an editor approves it, the photo is fetched from its
public URL as nginx serves it (immutable caching), the approval email reaches a local SMTP sink
(aiosmtpd) through the job worker, an anonymous page comes from nginx's micro-cache while a
signed-in page never does, an oversized body is refused by nginx, and with gunicorn stopped nginx
answers its friendly 503 page. Exits non-zero on the first failed check; loopback only.
"""

from __future__ import annotations

import http.client
import io
import re
import sys
import time
import uuid
from email import message_from_bytes
from email.message import Message
from html import unescape
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import HTTPCookieProcessor, HTTPSHandler, Request, build_opener

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prodstack  # noqa: E402

PASSWORD = "demo-kim-2026"
MEMBER = "anggota@kratonkidul.demo"
EDITOR = "editor@kotapekalongan.demo"
COMMUNITY = "kratonkidul"
CHECKS: list[str] = []


def check(condition: object, what: str) -> None:
    if not condition:
        raise AssertionError(f"FAILED: {what}")
    CHECKS.append(what)
    print(f"  ok  {what}", flush=True)


class Response:
    def __init__(self, status: int, headers: Message, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """A reader's browser: cookies across *.kim.localhost, trusting only the test CA."""

    def __init__(self, stack: prodstack.Stack):
        self.stack = stack
        self.cookies = CookieJar()
        self.opener = build_opener(
            HTTPCookieProcessor(self.cookies), HTTPSHandler(context=stack.ssl_context())
        )

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None) -> Response:
        request = Request(url, data=data, headers={"Accept-Language": "id-ID,id;q=0.9", **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Response(answer.status, answer.headers, answer.read(), answer.url)
        except HTTPError as error:
            return Response(error.code, error.headers, error.read(), url)

    def get(self, url: str, **headers: str) -> Response:
        return self.request(url, headers=headers)

    def post(
        self, url: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> Response:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content) in (files or {}).items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: image/jpeg\r\n\r\n".encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": origin,
            "Referer": url,
        }
        return self.request(url, data=body.getvalue(), headers=headers)

    def form_fields(self, url: str) -> dict[str, str]:
        """The hidden fields of the page's forms (the CSRF token, the post form's tokens)."""
        page = self.get(url)
        assert page.status == 200, (url, page.status)
        return {
            unescape(name): unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
        }

    def sign_in(self, email: str) -> None:
        url = self.stack.url(path="/akun/masuk/")
        fields = self.form_fields(url)
        answer = self.post(url, {**fields, "username": email, "password": PASSWORD})
        check(
            answer.status == 200 and "masuk" not in urlsplit(answer.url).path, f"{email} signs in over https"
        )


def photo_jpeg() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (1600, 1200), (40, 120, 200))
    for x in range(0, 1600, 100):
        image.paste((230, 180, 40), (x, 500, x + 50, 700))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class SmtpSink:
    """A local SMTP server that keeps every message it is sent."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Message] = []
        self.port = prodstack.free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, recipient: str, seconds: float) -> Message | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self.messages:
                if recipient in message.get("To", ""):
                    return message
            time.sleep(0.1)
        return None


def raw_request(port: int, host: str, method: str, path: str, headers: dict[str, str], tls=None, body=b""):
    """One request without following redirects, sending `body` (none by default, whatever the
    headers announce); returns (status, headers, body)."""
    if tls is None:
        connection: http.client.HTTPConnection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    else:
        connection = http.client.HTTPSConnection(host, port, timeout=10, context=tls)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", f"{host}:{port}")
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders(body or None)
    answer = connection.getresponse()
    result = answer.status, answer.headers, answer.read()
    connection.close()
    return result


def run(stack: prodstack.Stack, sink: SmtpSink) -> None:
    title = f"Kerja bakti bersih sungai {uuid.uuid4().hex[:6]}"
    community_home = stack.url(COMMUNITY)

    print("anonymous reader and https")
    status, headers, _ = raw_request(stack.http_port, f"{COMMUNITY}.kim.localhost", "GET", "/tentang/", {})
    check(
        status == 301 and headers["Location"] == f"{community_home}tentang/", "plain http redirects to https"
    )
    reader = Browser(stack)
    home = reader.get(stack.url())
    check(home.status == 200, "the main site answers over https with the test CA's wildcard certificate")
    check("includeSubDomains" in home.headers.get("Strict-Transport-Security", ""), "HSTS covers subdomains")

    print("a member uploads a photo, an editor approves")
    member = Browser(stack)
    member.sign_in(MEMBER)
    new_post = stack.url(COMMUNITY, "/kelola/tulisan/baru/")
    fields = member.form_fields(new_post)
    answer = member.post(
        stack.url(COMMUNITY, "/kelola/tulisan/baru/simpan-kirim/"),
        {
            **fields,
            "title": title,
            "body": "Warga RW 05 membersihkan bantaran sungai bersama karang taruna.",
            "activity_date": "2026-11-21",
            "activity_place": "Bantaran Kali Loji",
            "category": "budaya",
            "tags": "kerja bakti, sungai",
            "action": "submit",
        },
        files={"photos": ("sungai.jpg", photo_jpeg())},
    )
    check(
        answer.status == 200 and "Menunggu pemeriksaan" in answer.text,
        "the member's post with a photo is sent",
    )
    editor = Browser(stack)
    editor.sign_in(EDITOR)
    queue = editor.get(stack.url(path="/moderasi/"))
    found = re.search(r'href="(/moderasi/kiriman/(\d+)/)"[^>]*>\s*' + re.escape(title), queue.text)
    check(found, "the submission is in the editor's queue")
    assert found
    review = stack.url(path=found.group(1))
    approve = editor.post(review + "setujui/", editor.form_fields(review))
    check(approve.status == 200, "the editor approves it")

    print("the approval email goes out through the job worker")
    if prodstack.WORKER_COMMAND:
        check(sink.wait_for(MEMBER, 1.5) is None, "no email was sent inside the request (it is queued)")
        stack.start_worker()
        mail = sink.wait_for(MEMBER, 30)
        check(mail is not None and "tayang" in mail["Subject"], "the worker delivers the approval email")
    else:
        mail = sink.wait_for(MEMBER, 10)
        check(mail is not None and "tayang" in mail["Subject"], "the approval email reaches the SMTP sink")
        print(
            "  NOTE: KIM_WORKER_COMMAND is not set: the email went out inside the request, not via a worker"
        )

    print("the photo, as nginx serves it")
    listing = reader.get(community_home)
    at = listing.text.find(title)
    links = [
        (abs(m.start() - at), m.group(1)) for m in re.finditer(r'href="([^"]*/berita/[^"/]+/)"', listing.text)
    ]
    check(at >= 0 and links, "the approved post is on the community's home")
    post_url = min(links)[1]
    if post_url.startswith("/"):
        post_url = stack.url(COMMUNITY, post_url)
    page = reader.get(post_url)
    photos = re.findall(r'(/media/[^"\s,]+\.webp)', page.text)
    check(page.status == 200 and photos, "the post page shows the photo's public URL under /media/")
    photo = reader.get(stack.url(COMMUNITY, photos[0]))
    check(
        photo.status == 200 and photo.headers["Content-Type"] == "image/webp" and photo.body[8:12] == b"WEBP",
        "the photo is served from disk by nginx",
    )
    check(
        photo.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        and "X-Cache-Status" not in photo.headers,
        "with immutable caching for a year, without touching gunicorn",
    )

    print("the micro-cache")
    first, second = reader.get(post_url), reader.get(post_url)
    check(
        first.headers["X-Cache-Status"] in ("MISS", "EXPIRED", "HIT", "UPDATING")
        and second.headers["X-Cache-Status"] == "HIT",
        f"an anonymous page comes from nginx's micro-cache ({first.headers['X-Cache-Status']}, then HIT)",
    )
    english = reader.get(post_url, Cookie="django_language=en")
    check('lang="en"' in english.text, "a reader who chose English is not served the cached Indonesian page")
    signed_in = [member.get(post_url) for _ in range(3)]
    check(
        all(answer.headers["X-Cache-Status"] == "BYPASS" for answer in signed_in)
        and "Keluar" in signed_in[-1].text,
        "a signed-in reader's page never comes from the micro-cache",
    )

    print("limits and outages")
    form = {"Content-Type": "multipart/form-data; boundary=x"}
    several_photos = 30 * 1024 * 1024  # a form sent without JavaScript carries every photo
    status, _, body = raw_request(
        stack.https_port,
        f"{COMMUNITY}.kim.localhost",
        "POST",
        "/kelola/tulisan/baru/simpan-kirim/",
        {**form, "Content-Length": str(several_photos)},
        tls=stack.ssl_context(),
        body=b"\0" * several_photos,
    )
    check(
        status != 413 and b"terlalu besar" not in body,
        "a 30 MB form (several photos without JavaScript) gets past nginx to the app",
    )
    status, _, body = raw_request(
        stack.https_port,
        f"{COMMUNITY}.kim.localhost",
        "POST",
        "/kelola/tulisan/baru/simpan-kirim/",
        {**form, "Content-Length": str(101 * 1024 * 1024)},
        tls=stack.ssl_context(),
    )
    check(
        status == 413 and b"Kiriman terlalu besar" in body,
        "a body over UPLOAD_MAX_REQUEST_BYTES (nginx's cap too) gets nginx's friendly 413, unread",
    )
    stack.stop("gunicorn")
    down = member.get(stack.url(COMMUNITY, "/kelola/"))
    check(
        down.status == 503 and "sedang dalam perbaikan" in down.text and down.headers["Retry-After"] == "30",
        "with gunicorn stopped, nginx serves its friendly 503 page in Bahasa Indonesia",
    )


def main() -> int:
    if prodstack.NGINX is None:
        print("nginx is missing: install Debian's package as root (`apt-get install nginx`); .ci/run does.")
        return 1
    started = time.monotonic()
    prodstack.resolve_localhost_names()
    sink = SmtpSink()
    sink.controller.start()
    try:
        with prodstack.running_stack("smoke", smtp_port=sink.port) as stack:
            print(f"stack up in {time.monotonic() - started:.0f} s (https on 127.0.0.1:{stack.https_port})")
            run(stack, sink)
    finally:
        sink.controller.stop()
    print(f"prod-smoke: {len(CHECKS)} passed, 0 failed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
