"""`serve`'s HTTP routes: the preview folder, the preview client's script and its socket.

Every route first checks the request's Host (a DNS-rebinding page would read the
drafts) and the socket also its Origin (another site's page would learn of every save).
Pages are sent under the site's strict Content-Security-Policy, so the preview client
is a file (`client.js`) named in a <script> tag added to each HTML response, never an
inline script. What the handlers share (the preview, the open sockets, the address) is
in the application's settings (`routes`), never kept in the module.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tornado import httputil, web, websocket

from ..safety import CONTENT_SECURITY_POLICY, host_allowed
from .preview import Preview, is_page

__all__ = ["Listeners", "routes", "with_client", "CLIENT_URL", "SOCKET_URL"]

CLIENT_URL = "/.site-builder/preview.js"  # a dot folder: no page or asset of a site is published there
SOCKET_URL = "/.site-builder/socket"
SCRIPT_TAG = f'<script src="{CLIENT_URL}" defer></script>'.encode()
DOWNLOAD_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "jsonld": "application/ld+json"}


@dataclass
class Listeners:
    """The browsers' open sockets, told after each rebuild what changed."""

    sockets: set[websocket.WebSocketHandler] = field(default_factory=set)

    def viewed(self) -> set[str]:
        """The output paths of the pages the browsers show."""
        return {getattr(socket, "here", "") for socket in self.sockets} - {""}

    def show(self, path: str, page: bytes) -> None:
        """Send a page just made to the browsers that show it, before the rest of the rebuild."""
        message = {"page": path, "html": with_client(page).decode("utf-8", "replace")}
        self.tell(message, [socket for socket in self.sockets if getattr(socket, "here", "") == path])

    def tell(self, message: dict[str, Any], sockets: list[websocket.WebSocketHandler] | None = None) -> None:
        text = json.dumps(message)
        for socket in list(self.sockets) if sockets is None else sockets:
            try:
                socket.write_message(text)
            except websocket.WebSocketClosedError:
                self.sockets.discard(socket)


def routes(preview: Preview, listeners: Listeners, host: str) -> web.Application:
    """The preview's application: the handlers find what they share in its settings."""
    return web.Application([
        (SOCKET_URL, ReloadSocket),
        (CLIENT_URL, ClientScript),
        (r"/(.*)", PreviewFiles, {"path": str(preview.out), "default_filename": "index.html"}),
    ], transforms=[ClientTag], preview=preview, listeners=listeners, host=host)


class HostChecked(web.RequestHandler):
    """Answers 421 to a request whose Host is not the address the preview listens on."""

    def prepare(self) -> None:
        host = self.settings["host"]
        if not host_allowed(self.request.host_name, host):
            self.set_status(421)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"site-builder serve answers only requests for {host}, localhost, 127.0.0.1 or [::1]\n")

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")


class ClientScript(HostChecked):
    """The preview client, served only by `serve`."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(files(__package__).joinpath("client.js").read_bytes())


class ReloadSocket(HostChecked, websocket.WebSocketHandler):
    """The socket the preview client listens on; it never reads what the browser sends."""

    def check_origin(self, origin: str) -> bool:
        """Only a page of the preview itself: the same scheme-less address as the Host, which is checked."""
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == self.request.host.lower()

    here = ""  # the output path of the page this socket's browser shows, as it says

    def open(self, *args: Any, **kwargs: Any) -> None:
        self.settings["listeners"].sockets.add(self)

    def on_message(self, message: str | bytes) -> None:
        """The client says which page it shows: {"here": "claims/x/index.html"}; anything else is ignored."""
        try:
            here = json.loads(message).get("here")
        except (ValueError, AttributeError):
            return
        if isinstance(here, str):
            self.here = here

    def on_close(self) -> None:
        self.settings["listeners"].sockets.discard(self)


class PreviewFiles(HostChecked, web.StaticFileHandler):
    """Serves the preview folder only; answers errors with the error page, misses with the 404 page."""

    def get(self, path: str, include_body: bool = True) -> Any:
        preview: Preview = self.settings["preview"]
        if "\0" in path:  # no file has such a name; the system's calls would raise
            raise web.HTTPError(404)
        if preview.problems and is_page(path):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            return self.finish(preview.error_page())
        data = preview.download(path)
        if data is not None:
            self.set_header("Content-Type", DOWNLOAD_TYPES[path.rsplit(".", 1)[-1]])
            return self.finish(data if include_body else b"")
        return super().get(path, include_body)

    def compute_etag(self) -> str | None:
        return super().compute_etag() if getattr(self, "absolute_path", None) else None  # downloads: none

    def validate_absolute_path(self, root_folder: str, absolute_path: str) -> str | None:
        real_root = os.path.realpath(root_folder)
        real = os.path.realpath(absolute_path)
        if real != real_root and not real.startswith(real_root + os.sep):
            raise web.HTTPError(404)
        if os.path.isdir(real) and not os.path.isfile(os.path.join(real, "index.html")):
            raise web.HTTPError(404)  # never a listing
        return super().validate_absolute_path(root_folder, absolute_path)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        missing = Path(self.root) / "404.html"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        if status_code in (403, 404) and missing.is_file():
            self.set_status(404)
            self.finish(missing.read_bytes())
        else:
            self.finish(f"<!doctype html><title>{status_code}</title><h1>{status_code}</h1>")


class ClientTag(web.OutputTransform):
    """Adds the preview client's <script> tag to the head of every HTML response (pages, error page, 404)."""

    def transform_first_chunk(self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes,
                              finishing: bool) -> tuple[int, httputil.HTTPHeaders, bytes]:
        if "text/html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = with_client(chunk)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(SCRIPT_TAG))
        return status_code, headers, chunk


def with_client(page: bytes) -> bytes:
    """The page with the preview client's tag at the end of its head, as the browser gets it."""
    return page.replace(b"</head>", SCRIPT_TAG + b"</head>", 1)
