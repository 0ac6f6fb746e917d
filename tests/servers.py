"""Servers for tests: run as subprocesses on a free port, their output kept for failure reports."""

from __future__ import annotations

import http.server
import re
import socket
import subprocess
import threading
import time
import tomllib
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A server run as a subprocess; its output goes to a file that is shown when a test fails."""

    def __init__(self, args: list[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None):
        self.log_path = log
        self.log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd, env=env)

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_for_port(self, port: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.output()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError(f"server did not listen on {port}:\n{self.output()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def netlify_rules(toml_path: Path) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """The [[headers]] rules of netlify.toml as (path pattern, headers)."""
    with open(toml_path, "rb") as handle:
        config = tomllib.load(handle)
    rules = []
    for rule in config.get("headers", []):
        pattern = re.compile("^" + re.escape(rule["for"]).replace(r"\*", ".*") + "$")
        rules.append((pattern, dict(rule.get("values", {}))))
    return rules


class StaticSite:
    """The built site on 127.0.0.1, with netlify.toml's headers and its 404 page, as readers get it."""

    def __init__(self, folder: Path, toml_path: Path, prefix: str = "/"):
        rules = netlify_rules(toml_path)
        site = folder
        self.folder = folder

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(site), **kwargs)

            def translate_path(self, path: str) -> str:
                if not path.startswith(prefix):
                    return str(site / "\0missing")  # outside the site's sub-path: a 404
                return super().translate_path("/" + path[len(prefix):])

            def rule_headers(self) -> dict[str, str]:
                path = "/" + self.path.split("?", 1)[0][len(prefix):]
                found: dict[str, str] = {}
                for pattern, headers in rules:
                    if pattern.match(path):
                        found.update(headers)
                return found

            def guess_type(self, path) -> str:  # a rule's Content-Type replaces the guess, as on Netlify
                guessed = super().guess_type(path)
                if guessed.startswith("text/") or guessed in ("application/json", "application/xml"):
                    guessed += "; charset=utf-8"  # as Netlify serves text
                return self.rule_headers().get("Content-Type", guessed)

            def end_headers(self) -> None:
                for name, value in self.rule_headers().items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                super().end_headers()

            def list_directory(self, path):  # never a listing
                self.send_error(404)
                return None

            def send_error(self, code, message=None, explain=None):
                missing = site / "404.html"
                if code == 404 and missing.is_file():
                    body = missing.read_bytes()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                    return
                super().send_error(code, message, explain)

            def log_message(self, format, *args):  # quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"
        # stop() waits for serve_forever's next poll: 0.5 s by default, at every test's end
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
