"""A scripted web site on 127.0.0.1 for live-path tests, reached as an HTTP proxy.

Scrapy is pointed at it with ``http_proxy``, so it sends absolute URLs
(``GET http://www.trap.gov.cn/list_1.html``) over real TCP, as to a real site. Each URL is
answered by a route: a function of the URL returning ``(status, headers, body)`` or writing
the answer itself. Every request is kept with its headers and the times it came in and was
answered, so tests can measure gaps and concurrency; nothing leaves the machine.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Answer = tuple[int, dict[str, str], bytes]
#: A route answers a URL: with an Answer, or None when it wrote the answer to the handler itself.
Route = Callable[[str, BaseHTTPRequestHandler], Answer | None]


@dataclass
class Hit:
    url: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


@dataclass
class Site:
    """Answer each URL with ``routes[url]``, else ``fallback``, else 404."""

    routes: dict[str, Route] = field(default_factory=dict)
    fallback: Route | None = None
    hits: list[Hit] = field(default_factory=list)
    #: Most requests answered at the same moment.
    peak_concurrency: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                hit = Hit(self.path, dict(self.headers.items()), time.monotonic())
                with site._lock:
                    site.hits.append(hit)
                    site._open += 1
                    site.peak_concurrency = max(site.peak_concurrency, site._open)
                try:
                    route = site.routes.get(self.path, site.fallback)
                    answer = route(self.path, self) if route else (404, {}, b"not here")
                    if answer is not None:
                        status, headers, body = answer
                        self.send_response(status)
                        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                            self.send_header(name, value)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler hung up (a size cap, a stop): what some tests want
                finally:
                    hit.ended = time.monotonic()
                    with site._lock:
                        site._open -= 1

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def proxy(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def env(self) -> dict[str, str]:
        """Environment for a crawler subprocess that sends every request here."""
        return {"http_proxy": self.proxy, "no_proxy": "", "NO_PROXY": ""}

    def requested(self, url: str) -> int:
        return sum(hit.url == url for hit in self.hits)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def page(body: str | bytes, status: int = 200, **headers: str) -> Route:
    """A route answering every request with this page."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda url, handler: (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)


ROBOTS_ALLOW_ALL = page("User-agent: *\nAllow: /\n", Content_Type="text/plain")


_WORDS = ("会议", "工作", "发展", "建设", "群众", "调研", "推进", "落实", "服务", "改革", "乡村", "企业",
          "项目", "教育", "医疗", "交通", "生态", "文化", "安全", "创新", "民生", "治理", "社区", "人才")


def article_html(title: str, paragraphs: int = 3) -> str:
    """A small article page the party_cms template reads whole; its text is drawn from
    ``title``, so two titles make two different articles (no near duplicates)."""
    draw = random.Random(title)
    body = "".join("<p>" + "".join(draw.choices(_WORDS, k=30)) + "。</p>" for _ in range(paragraphs))
    return (f"<html><head><title>{title}</title></head><body><div class='article'><h1>{title}</h1>"
            f"<div class='info'>来源：测试网 时间：2024-05-13 08:49</div><div class='content'>{body}</div>"
            "</div></body></html>")


def write_portal(folder: Path, name: str, host: str, list_pattern: str, article_pattern: str,
                 start_urls: list[str], extra: str = "") -> Path:
    """A party_cms portal file and seed list for ``host`` (over http, no delay) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(
        f'name = "{name}"\ntemplate = "party_cms"\nhosts = ["{host}"]\nscheme = "http"\n'
        f'download_delay = 0.0\n{extra}\n[urls]\nlist = [\'{list_pattern}\']\narticle = [\'{article_pattern}\']\n'
        '[selectors]\ntitle = "div.article h1"\nmeta = "div.info"\nbody = "div.content"\n',
        encoding="utf-8")
    (folder / f"{name}.txt").write_text("\n".join(start_urls) + "\n", encoding="utf-8")
    return folder
