"""Fixture pages on a real HTTP server on 127.0.0.1, for the tests of `sources archive` and `sources check`."""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import threading
from pathlib import Path

from sitekit import MINIMAL, as_written

from site_builder.commands.cli import main

QUOTE_PAGE = ("<!doctype html><html><head><title>Sky almanac</title></head><body><nav>Home | About</nav>"
              "<article><h1>The sky on Monday</h1><p>On Monday the sky was blue, and ten witnesses said so to "
              "the almanac\u2019s reporters.</p><p>Nobody disputed it.</p></article></body></html>").encode()


def source(url: str, archived_url: str | None = None) -> str:
    """A source file's text for `url`."""
    text = f"title: A source\npublisher: A publisher\nurl: {url}\nkind: reference\n"
    return text + (f"archived_url: {archived_url}\n" if archived_url else "")


def pdf_with(text: str) -> bytes:
    """A one-page PDF whose content stream draws `text` in Helvetica: small, valid, with a correct xref."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = pdf_with("The minutes record that the council voted nine to two.")


class FixtureServer:
    """A small http.server on 127.0.0.1 serving `pages` (path -> status, headers, body), counting requests.

    With `tls`, the same port answers https too, as a site that serves both does.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[str] = []
        self.agents: list[str] = []
        self.slow = threading.Event()  # set: the slow page answers at once (lets a test end quickly)
        self.hold = threading.Event()  # /hold waits until this is set
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.requests.append(self.path)
                server.agents.append(self.headers.get("User-Agent", ""))
                if self.path == "/slow.html":
                    server.slow.wait(3)
                if self.path == "/hold.html":
                    server.hold.wait(10)
                status, headers, body = server.pages.get(self.path, (404, {"Content-Type": "text/plain"},
                                                                     b"not here"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped: too large
                    self.wfile.write(body)

            def log_message(self, format, *args):  # quiet
                pass

        class Server(http.server.ThreadingHTTPServer):
            def get_request(self):  # with `tls`: https and http on one port, told apart by the first byte
                connection, address = super().get_request()
                if tls is not None and connection.recv(1, socket.MSG_PEEK) == b"\x16":  # a TLS handshake
                    connection = tls.wrap_socket(connection, server_side=True)
                return connection, address

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # stop() waits for serve_forever's next poll: 0.5 s by default, at every test's end
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
             **headers: str) -> None:
        self.pages[path] = (status, {"Content-Type": content_type, **headers}, body)

    def fetched(self, path: str) -> int:
        return self.requests.count(path)

    def stop(self) -> None:
        self.slow.set()
        self.hold.set()
        self.httpd.shutdown()
        self.httpd.server_close()


CLAIM = "content/articles/story/claims/ten-people.yaml"
WAYBACK = "https://web.archive.org/web/2016/https://almanac.example/sky"
CLAIM_TEXT = """quote: Ten people saw it.
claim: Ten people saw the sky.
verdict: accurate
summary: The almanac counts ten.
sources:
  - source: verified
    quote: "ten witnesses said so"
  - source: unverified
    quote: "eleven witnesses"
  - source: never
    quote: "ten witnesses"
"""


def states_site(make_site, server: FixtureServer, name: str = "site", rules: str = "") -> Path:
    """A site citing three sources: archived with its quote found, archived without it, never archived."""
    server.page("/robots.txt", b"", "text/plain")
    server.page("/sky.html", QUOTE_PAGE)
    server.page("/sky-again.html", QUOTE_PAGE)
    root = make_site({"content/sources/almanac.yaml": None,
                      "content/sources/verified.yaml": source(server.url + "/sky.html", WAYBACK),
                      "content/sources/unverified.yaml": source(server.url + "/sky-again.html"),
                      "content/sources/never.yaml": source("http://never.example/page"),
                      "content/site.yaml": as_written(MINIMAL["content/site.yaml"]) + rules,
                      CLAIM: CLAIM_TEXT}, name=name)
    assert main(["sources", "archive", "--root", str(root), "--allow-private", "--delay", "0",
                 "--only", "verified", "unverified"]) == 0
    return root


def self_signed(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context for 127.0.0.1 with a fresh self-signed certificate, and the certificate's PEM file."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file
