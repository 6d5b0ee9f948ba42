"""The seed documents (tests/fixtures/<portal>/seed.txt): where each one's article is.

Each seed is the visible text of a real page, noise included. ``ARTICLE_SPAN`` names the
first and last line of the article text in it (a whole line, or else a line's start).
"""

from __future__ import annotations

from tests.archives import FIXTURES

ARTICLE_SPAN = {
    "cqmjsw": ("当前,重庆疫情形势严峻复杂", "不仅仅是他们,民进重庆市委会全体机关干部"),
    "scsqw": ("四川省地方志办", "疫情是一场大考"),
    "whrx": ("疫情就是命令,防控就是责任。疫情防控情势危急", "封控期间居民的生活物资"),
    "lzbs_mirror": ("疫情發(fā)生以來", "一句句樸實(shí)的話語"),
    "gjdb": ("各界导报宝鸡讯", "这就是我们的党员"),
}


def seed_lines(portal: str) -> list[str]:
    """Every non-empty line of the seed document, stripped."""
    text = (FIXTURES / portal / "seed.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def article_lines(portal: str) -> list[str]:
    """The seed's lines from the first to the last article line (captions included)."""
    lines = seed_lines(portal)
    first, last = ARTICLE_SPAN[portal]
    start = next((i for i, line in enumerate(lines) if line == first),
                 next(i for i, line in enumerate(lines) if line.startswith(first)))
    end = next(i for i, line in enumerate(lines) if line.startswith(last))
    return lines[start:end + 1]
