"""Fetching other publishers' pages for `sources archive` and `sources check`, politely and safely.

A source's address is written by an author, so it is treated like any untrusted
input: only http(s), no credentials, no address in a loopback, private,
link-local or multicast range (unless the desk allows it, as the tests do), a
size and a time limit, at most five redirects with every hop checked again.
Politeness: an honest User-Agent naming the tool and the site, robots.txt
honoured, one request at a time per host with a delay between them. Nothing
from a page is ever executed: bodies are only stored and read as text.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__

__all__ = ["FetchPolicy", "Fetched", "FetchFailed", "Fetcher", "user_agent"]

_REDIRECTS = (301, 302, 303, 307, 308)


def user_agent(base_url: str) -> str:
    return f"site-builder/{__version__} (fact-check source archiver; +{base_url})"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    user_agent: str
    allow_private: bool = False  # loopback and private addresses: for tests and intranet desks only
    timeout: float = 20.0  # seconds, for connecting, for each read, and for the whole body
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    delay: float = 1.0  # seconds between two requests to one host
    robots: bool = True
    ca_file: str | None = None  # certificates to trust besides the system's usual ones (an intranet's own CA)


@dataclass(frozen=True, slots=True)
class Fetched:
    """One final response: what was asked, where it ended, and the exact bytes served."""

    url: str
    final_url: str
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched: datetime
    redirects: tuple[str, ...]  # every address before the final one

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";", 1)[0].strip().lower()
        return ""


class FetchFailed(Exception):
    """A source could not be fetched. `kind`: refused, robots, too-large, unreachable."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Fetcher:
    """One run's fetching: a connection pool, the last request time per host, each host's robots.txt."""

    policy: FetchPolicy
    client: httpx.Client = field(init=False)
    _last: dict[str, float] = field(default_factory=dict, init=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        verify = ssl.create_default_context(cafile=self.policy.ca_file) if self.policy.ca_file else True
        self.client = httpx.Client(timeout=httpx.Timeout(self.policy.timeout), follow_redirects=False,
                                   trust_env=False, verify=verify, headers={"User-Agent": self.policy.user_agent,
                                                             "Accept-Encoding": "identity"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        """The final response for `url`, following at most `max_redirects` redirects; raise FetchFailed."""
        hops: list[str] = []
        current = url
        while True:
            self.check_address(current)
            if self.policy.robots and not self._allowed(current):
                raise FetchFailed("robots", f"{current}: robots.txt asks robots not to fetch it")
            response = self._request(current)
            location = dict((k.lower(), v) for k, v in response.headers).get("location")
            if response.status in _REDIRECTS and location:
                hops.append(current)
                if len(hops) > self.policy.max_redirects:
                    raise FetchFailed("unreachable", f"{url}: more than {self.policy.max_redirects} redirects")
                current = urljoin(current, location)
                continue
            return Fetched(url, current, response.status, response.reason, response.http_version,
                           response.headers, response.body, response.fetched, tuple(hops))

    def check_address(self, url: str) -> None:
        """Refuse what must never be fetched: other schemes, credentials, and (by default) private addresses."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchFailed("refused", f"{url}: not a valid address ({error})") from None
        if parts.scheme not in ("http", "https"):
            raise FetchFailed("refused", f"{url}: only http and https addresses are fetched")
        if "@" in parts.netloc:
            raise FetchFailed("refused", f"{url}: an address with a user name or password is never fetched")
        if not parts.hostname:
            raise FetchFailed("refused", f"{url}: no host")
        try:
            infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchFailed("unreachable", f"{url}: cannot resolve {parts.hostname} ({error})") from None
        if self.policy.allow_private:
            return
        for info in infos:
            self._check_ip(url, parts.hostname, str(info[4][0]))

    def _check_ip(self, url: str, host: str, ip: str) -> None:
        if self.policy.allow_private:
            return
        address = ipaddress.ip_address(ip.split("%", 1)[0])
        if (address.is_loopback or address.is_private or address.is_link_local or address.is_multicast
                or address.is_unspecified or address.is_reserved):
            raise FetchFailed("refused", f"{url}: {host} is a loopback, private, link-local or "
                              f"multicast address ({address}); use --allow-private to fetch it anyway")

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch("site-builder", url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules, or None for 'no rules' (RFC 9309: a 4xx robots.txt allows everything)."""
        url = origin + "/robots.txt"
        for _ in range(self.policy.max_redirects + 1):
            self.check_address(url)
            response = self._request(url, limit=512 * 1024)
            location = dict((k.lower(), v) for k, v in response.headers).get("location")
            if response.status in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if 400 <= response.status < 500:
                return None
            if response.status >= 500:
                raise FetchFailed("unreachable", f"{url}: answered {response.status}, so it may not be fetched")
            rules = urllib.robotparser.RobotFileParser(url)
            rules.parse(response.body.decode("utf-8", "replace").splitlines())
            return rules
        return None

    def _request(self, url: str, limit: int | None = None) -> _Response:
        limit = limit or self.policy.max_bytes
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0.0) + self.policy.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        deadline = time.monotonic() + self.policy.timeout
        fetched = datetime.now(UTC).replace(microsecond=0)
        try:
            with self.client.stream("GET", url) as response:
                # The name may resolve differently now than when it was checked (DNS rebinding): the address
                # actually connected to is checked again before anything of the body is read.
                stream = response.extensions.get("network_stream")
                peer = stream.get_extra_info("server_addr") if stream is not None else None
                if peer:
                    self._check_ip(url, urlsplit(url).hostname or "", str(peer[0]))
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchFailed("too-large", f"{url}: {int(declared):,} bytes, over the limit of {limit:,}")
                body = bytearray()
                for chunk in response.iter_raw():
                    body += chunk
                    if len(body) > limit:
                        raise FetchFailed("too-large", f"{url}: over the limit of {limit:,} bytes")
                    if time.monotonic() > deadline:
                        raise FetchFailed("unreachable", f"{url}: took longer than {self.policy.timeout:g} s")
                return _Response(response.status_code, response.reason_phrase, response.http_version,
                                 tuple(response.headers.multi_items()), bytes(body), fetched)
        except httpx.TimeoutException:
            raise FetchFailed("unreachable", f"{url}: timed out after {self.policy.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise FetchFailed("unreachable", f"{url}: {_reason(error)}") from None
        finally:
            self._last[host] = time.monotonic()


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched: datetime


def _reason(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]
