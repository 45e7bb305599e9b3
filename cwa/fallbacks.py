"""How what cwa prints degrades on a console whose code page cannot show it (a Chinese
Windows console writes GBK, a Western one cp1252): a character becomes the first of its
look-alikes the console has, else ``?``. Never an error. Registered as a codec error
handler for the console's streams (``commands.shared.use_streams``) before any command
runs, so it is kept apart from the report renderers.
"""

from __future__ import annotations

import codecs

#: How what cwa prints degrades on a console whose code page cannot show it: the first
#: form the console's encoding has (a Chinese GBK console has √ × ◎, a Western one
#: [OK] [X] [~]); anything else becomes "?". Never an error.
FALLBACKS = {
    "✔": ("√", "[OK]"), "✘": ("×", "[X]"), "◐": ("◎", "[~]"), "–": ("-",), "—": ("-",),
    "•": ("·", "*"), "→": ("->",), "…": ("...",), "｜": ("|",), "·": (".",), "≥": (">=",),
    "：": (":",), "，": (",",), "、": (",",), "；": (";",), "。": (".",), "（": ("(",),
    "）": (")",), "“": ('"',), "”": ('"',), "‘": ("'",), "’": ("'",), "＿": ("_",),
    "　": (" ",),
}
ERRORS = "cwa-fallback"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    shown = []
    for char in error.object[error.start:error.end]:
        for candidate in FALLBACKS.get(char, ()):
            try:
                candidate.encode(error.encoding)
            except UnicodeError:
                continue
            shown.append(candidate)
            break
        else:
            shown.append("?")
    return "".join(shown), error.end


def register_fallbacks() -> str:
    """Register the fallbacks as a codec error handler; returns its name."""
    codecs.register_error(ERRORS, _fallback)
    return ERRORS
