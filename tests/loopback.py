"""A real HTTP proxy on 127.0.0.1 that serves a replay archive, for live-path tests.

Scrapy is pointed at it with ``http_proxy``; it then sends absolute URLs
(``GET http://www.whrx.net/a/… HTTP/1.1``) over a real TCP connection, exactly as it
would to a site, and the proxy answers from the saved pages. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.crawling import CrawlResult, crawlall


class ArchiveProxy:
    """Serve ``archive`` (a folder with manifest.json) on a loopback port. The manifest is
    read on every request: a test changes what the site serves between runs."""

    def __init__(self, archive: Path, fail_once: set[str] = frozenset()) -> None:
        self.archive = archive
        self.fail_once = set(fail_once)
        self.requests: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                proxy.requests[self.path] += 1
                proxy.user_agents.add(self.headers.get("User-Agent", ""))
                if self.path in proxy.fail_once:
                    proxy.fail_once.discard(self.path)
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                entry = proxy.entries().get(self.path)
                body = (proxy.archive / entry["file"]).read_bytes() if entry and entry.get("file") else b""
                self.send_response(entry.get("status", 200) if entry else 404)
                for name, value in (entry or {}).get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def entries(self) -> dict[str, dict]:
        manifest = json.loads((self.archive / "manifest.json").read_text(encoding="utf-8"))
        return {e["url"]: e for e in manifest["responses"]}

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


def crawl_through(proxy: ArchiveProxy, workdir: Path, *args: str) -> CrawlResult:
    """``scrapy crawlall -a portals=whrx`` live over ``proxy``, no politeness delay."""
    env = {"http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""}
    return crawlall(workdir, "-a", "portals=whrx", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                    *args, env=env, replay=None)
