"""Quoting what a reader (or a forged request) typed, safely, in a message.

A message may repeat a short prefix of the input, never all of it: a forged value can be a
megabyte long, hold control characters or look like markup. Dash renders messages as text,
so markup is inert; the quote escapes everything else.
"""

from __future__ import annotations

#: Characters of the input a message repeats at most.
QUOTE_LIMIT = 12


def quote_input(value: object, limit: int = QUOTE_LIMIT) -> str:
    """At most ``limit`` characters of ``value`` as text, quoted and escaped.

    Args:
        value: anything (a string, a number, a list from a forged request).
        limit: characters kept; longer input ends with "…".

    Returns:
        ``“1680!”``, ``“aaaaaaaaaaaa…”``, ``“a\\nb”`` (control and non-printable characters
        as Python escapes, quotes kept as they are).
    """
    text = value if isinstance(value, str) else repr(value)
    prefix = text[:limit]
    escaped = "".join(char if char.isprintable() else repr(char)[1:-1] for char in prefix)
    return f"“{escaped}{'…' if len(text) > limit else ''}”"
