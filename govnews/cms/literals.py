"""Strings a regex cannot match without: a cheap substring test rules a regex out before
the regex engine scans a long page (Python's ``re`` has no fast literal scan of its own for
case-insensitive patterns, nor for ``\\b`` or alternatives at the start)."""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's own names for its nodes
from re import _parser as sre_parser

#: Shorter literals rule out too little to be worth the test.
MIN_LITERAL = 3


def required_literals(pattern: re.Pattern[str]) -> list[tuple[str, ...]]:
    """Sets of ASCII strings of at least :data:`MIN_LITERAL` characters such that every
    match of ``pattern`` contains a string of each set (in its case as written: compare
    case-folded when the pattern ignores case); empty when none is found."""
    return _of(list(sre_parser.parse(pattern.pattern, pattern.flags)))


def _of(items: list[tuple]) -> list[tuple[str, ...]]:
    """What a node sequence requires: each run of literals, and of each group or
    alternation, every branch having some, one of the branches' requirements."""
    candidates: list[tuple[str, ...]] = []
    run = ""
    for op, value in items:
        if op is sre.LITERAL and value < 128:
            run += chr(value)
            continue
        if len(run) >= MIN_LITERAL:
            candidates.append((run,))
        run = ""
        if op is sre.BRANCH:
            branches = [_of(list(branch)) for branch in value[1]]
            if all(branches):  # a branch's first requirement stands for it
                candidates.append(tuple(literal for branch in branches for literal in branch[0]))
        elif op is sre.SUBPATTERN:
            candidates.extend(_of(list(value[-1])))
    if len(run) >= MIN_LITERAL:
        candidates.append((run,))
    return candidates
