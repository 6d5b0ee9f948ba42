"""A real HTTP proxy on 127.0.0.1 that serves a replay archive, for live-path tests.

Scrapy is pointed at it with ``http_proxy``; it then sends absolute URLs
(``GET http://www.whrx.net/a/… HTTP/1.1``) over a real TCP connection, exactly as it
would to a site, and the proxy answers from the saved pages. Nothing leaves the machine.
A manifest entry with ``"network"`` fails at the TCP level instead of answering:
``reset`` (connection closed with RST before any byte), ``hang`` (no answer for
``seconds``), ``truncate`` (headers promise more body than is sent, then the connection closes).
An entry with ``"method": "POST"`` and a ``"form"`` answers only a POST of that form (a list
API such as Hanweb's dataproxy.jsp); every POST's form is kept in ``posts``.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

from tests.crawling import CrawlResult, crawlall


class ArchiveProxy:
    """Serve ``archive`` (a folder with manifest.json) on a loopback port. The manifest is
    read on every request: a test changes what the site serves between runs."""

    def __init__(self, archive: Path, fail_once: set[str] = frozenset()) -> None:
        self.archive = archive
        self.fail_once = set(fail_once)
        self.requests: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        #: (URL, form) of every POST, in order.
        self.posts: list[tuple[str, dict[str, str]]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self.answer(proxy.entries().get(("GET", self.path, None)))

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                form = dict(parse_qsl(body, keep_blank_values=True))
                proxy.posts.append((self.path, form))
                self.answer(proxy.entries().get(("POST", self.path, json.dumps(form, sort_keys=True))))

            def answer(self, entry: dict | None) -> None:
                proxy.requests[self.path] += 1
                proxy.user_agents.add(self.headers.get("User-Agent", ""))
                if self.path in proxy.fail_once:
                    proxy.fail_once.discard(self.path)
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if entry and entry.get("network"):
                    self.fail_network(entry)
                    return
                body = (proxy.archive / entry["file"]).read_bytes() if entry and entry.get("file") else b""
                self.send_response(entry.get("status", 200) if entry else 404)
                for name, value in (entry or {}).get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def fail_network(self, entry: dict) -> None:
                if entry["network"] == "hang":
                    time.sleep(entry.get("seconds", 5))
                elif entry["network"] == "truncate":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.wfile.write("<html><head><title>半截".encode())
                    self.wfile.flush()
                else:  # reset: SO_LINGER 0 makes close() send RST
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def entries(self) -> dict[tuple[str, str, str | None], dict]:
        """(method, URL, a POST's form as sorted JSON) → manifest entry."""
        manifest = json.loads((self.archive / "manifest.json").read_text(encoding="utf-8"))
        return {(e.get("method", "GET"), e["url"], json.dumps(e["form"], sort_keys=True) if "form" in e else None): e
                for e in manifest["responses"]}

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "ArchiveProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def crawl_through(proxy: ArchiveProxy, workdir: Path, *args: str, returncode: int = 0) -> CrawlResult:
    """``scrapy crawlall -a portals=whrx`` live over ``proxy``, no politeness delay; it must
    exit with ``returncode`` (3: pages failed, govnews.exitcodes)."""
    env = {"http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""}
    return crawlall(workdir, "-a", "portals=whrx", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                    *args, env=env, replay=None, returncode=returncode)
