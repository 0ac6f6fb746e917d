"""What may be published: addresses as a browser reads them, and paths as the disk resolves them.

A browser parses an href by the WHATWG URL standard, not as `urllib` does: it drops tabs and
newlines anywhere, strips spaces and controls at either end, reads a backslash as a slash in an
http(s) address, and takes everything after the scheme up to the first `/`, `\\`, `?` or `#` as
the authority. So `https://good.example%2F@evil.example/` is the user `good.example%2F` at
evil.example: a reader sees one site and is taken to another. Any reading of our own differs
from the browser's somewhere, so the decision is made on ada-url's (an implementation of that
standard, the parser Node.js uses). A path is judged with its links followed, as `open` would.

Every such predicate is here, so a reviewer audits them in one place: ids that become file and URL
segments, the invisible characters refused in any value (direction overrides, controls), the Host a
preview answers (DNS rebinding), the Content-Security-Policy pages are sent with (a new site's netlify.toml
and the preview), and a process started by the build dying with it.
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import os
import re
import signal
import sys
from urllib.parse import unquote

from ada_url import URL

__all__ = ["is_web_url", "has_user_before_host", "is_safe_link", "leaves_site", "LINK_REFUSED", "die_with_parent",
           "SAFE_ID", "is_safe_id", "find_direction_override", "find_control_character", "host_allowed",
           "CONTENT_SECURITY_POLICY"]

# Our own scripts and styles only, no inline script or style ('wasm-unsafe-eval' lets the Pagefind index run).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'")
_PAGE = "https://site.invalid/articles/page/"  # where a relative link is read from: a page of the site
_WRITTEN_PLAINLY = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\]")


def _parse(href: str, base: str | None = None) -> URL | None:
    """The URL a browser makes of `href` (relative to `base`), or None where it makes none."""
    try:
        return URL(href, base=base) if base is not None else URL(href)
    except ValueError:
        return None


def _names_user(url: URL) -> bool:
    return bool(url.username or url.password)


def is_web_url(value: str) -> bool:
    """An absolute http(s) address with a host, written plainly: no spaces, controls or backslashes."""
    if _WRITTEN_PLAINLY.search(value):
        return False
    url = _parse(value)
    return url is not None and url.protocol in ("http:", "https:") and bool(url.hostname)


def has_user_before_host(url: str) -> bool:
    """Whether a browser reads a user name (or password) before the address's host:
    https://www.reuters.com@evil.example/ reads as one site and leads to another."""
    parsed = _parse(url)
    return parsed is not None and _names_user(parsed)


def _safe_as_read(href: str) -> bool:
    """http(s) without a user, mailto, or relative and staying on the site, as a browser reads `href`."""
    absolute = _parse(href)
    if absolute is not None:
        if absolute.protocol in ("http:", "https:"):
            return not _names_user(absolute)
        return absolute.protocol == "mailto:"
    relative = _parse(href, _PAGE)
    return relative is not None and relative.host == "site.invalid" and not _names_user(relative)


_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_link(href: str) -> bool:
    """A link a page may carry: http(s) with no user before the host, mailto, or relative to the site.

    Judged as a browser reads it, and again percent-decoded (twice): an address that reads as
    another scheme or another host once decoded (`jav%61script:`) is refused too, since a
    server or a reader copying it may decode it.
    """
    if not _safe_as_read(href):
        return False
    decoded = _CONTROL.sub("", unquote(unquote(href)))
    return decoded == href or _safe_as_read(decoded) or _parse(decoded, _PAGE) is None


LINK_REFUSED = {"outside": "this link points outside the site folder",
                "loop": "this link leads round in a loop of links"}  # the words for each reason `leaves_site` gives


def leaves_site(path: str, site: str) -> str | None:
    """Why `path`, its links followed, may not be read: "outside" the folder `site` (itself
    resolved), a link "loop", or None where it stays inside (or is missing: reading it says so).

    Asked of every folder a build lists and every link it meets in content/, templates/ and
    assets/: a link, to a file or a folder, must not publish what lies outside the site.
    """
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as error:
        return "loop" if error.errno == errno.ELOOP else None
    return None if real == site or real.startswith(site.rstrip(os.sep) + os.sep) else "outside"


def die_with_parent() -> None:
    """Be killed when the process that started this one dies (Linux).

    A build killed midway must not leave a worker or the indexer writing into a folder
    that the next build removes as a leftover.
    """
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


# Ids, slugs, tags and file names: each becomes a file and a URL segment.
SAFE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


# The embeddings and overrides (U+202A-U+202E) and the isolates (U+2066-U+2069): each reorders what follows.
_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def find_direction_override(text: str) -> int | None:
    """Index of a bidi embedding, override or isolate character (the 'Trojan Source' trick), if any.

    Every value is checked; an ASCII one (most) is told apart in one C-speed pass, without a scan.
    """
    if text.isascii():
        return None
    found = _OVERRIDES.search(text)
    return found.start() if found else None


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ASCII_CONTROLS = bytes(range(0x00, 0x09)) + bytes(range(0x0b, 0x20)) + b"\x7f"  # what _CONTROLS finds in ASCII


def find_control_character(text: str) -> int | None:
    """Index of a C0 or C1 control character other than tab and newline, if any.

    A YAML escape in double quotes (`"\\0"`, `"\\e"`) writes one into a value: it makes feed.xml
    ill-formed XML, hides in HTML, and drives the terminal that shows it. Most values are
    printable, which one C-speed pass tells; most of the rest (every file, every value of more
    than one line) are ASCII, which two more tell (7x faster than the search, 2 KB of text).
    """
    if text.isprintable():
        return None
    if text.isascii():
        ascii_bytes = text.encode("ascii")
        if len(ascii_bytes.translate(None, _ASCII_CONTROLS)) == len(ascii_bytes):
            return None
    found = _CONTROLS.search(text)
    return found.start() if found else None


def is_safe_id(value: str) -> bool:
    """Lowercase ASCII letters, digits and inner hyphens: safe as a file and URL segment on any disk."""
    return bool(SAFE_ID.match(value)) and "--" not in value and value not in _RESERVED


def host_allowed(name: str, listening_on: str) -> bool:
    """Whether a request's Host names the address the preview listens on.

    A page of any site whose name the attacker points at 127.0.0.1 (DNS rebinding)
    would otherwise read every draft. An address given as digits cannot be rebound, so
    a preview listening on every interface (0.0.0.0, ::) answers any of them.
    """
    name, listening_on = name.lower().strip("[]"), listening_on.lower().strip("[]")
    if name in ("localhost", "127.0.0.1", "::1", listening_on):
        return True
    return _is_address(name) and _is_address(listening_on) and ipaddress.ip_address(listening_on).is_unspecified


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
