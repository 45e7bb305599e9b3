"""YAML syntax errors said the way a clerk who saved the file in Notepad understands them.

PyYAML (and libyaml under it) explains in its own terms — "mapping values are not
allowed in this context", "did not find expected key". This module recognises the usual
causes (a full-width colon, a Tab, an unclosed bracket or quote, uneven indentation…) and
says them in the user's language, with the line. What it does not recognise keeps
PyYAML's words.
"""

from __future__ import annotations

import re

import yaml

from cwa.errors import Problem

#: PyYAML's and libyaml's words (either may be installed) → the catalogue's key.
_KNOWN = (
    ("mapping values are not allowed", "yaml.syntax_mapping"),
    ("did not find expected key", "yaml.syntax_indent"),
    ("expected <block end>", "yaml.syntax_indent"),
    ("did not find expected '-' indicator", "yaml.syntax_indent"),
    ("expected ',' or ']'", "yaml.syntax_bracket"),
    ("did not find expected ',' or ']'", "yaml.syntax_bracket"),
    ("expected ',' or '}'", "yaml.syntax_brace"),
    ("did not find expected ',' or '}'", "yaml.syntax_brace"),
    ("found unexpected end of stream", "yaml.syntax_quote"),
    ("found unknown escape character", "yaml.syntax_escape"),
    ("found undefined alias", "yaml.syntax_alias"),
    ("found duplicate anchor", "yaml.syntax_anchor"),
    ("second occurrence", "yaml.syntax_anchor"),
    ("but found another document", "yaml.syntax_documents"),
    ("block scalar", "yaml.syntax_block"),
    ("chomping or indentation", "yaml.syntax_block"),
    ("that cannot start any token", "yaml.syntax_token"),
    ("control characters are not allowed", "yaml.syntax_control"),
    ("special characters are not allowed", "yaml.syntax_control"),
)
#: A key followed by a full-width colon, as a Chinese input method types it.
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w.-]*\s*：")


def problem(error: yaml.YAMLError, text: str, shown: str) -> Problem:
    """The syntax error as a Problem of file ``shown`` whose text is ``text``."""
    lines = text.splitlines() or [""]
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line = min(mark.line + 1, len(lines))
    else:  # a reader error (a control character) knows its position only
        line = text.count("\n", 0, getattr(error, "position", 0) or 0) + 1
    said = " ".join(str(getattr(error, part, None) or "")
                    for part in ("context", "problem")).strip() or str(error)
    colon = next((n for n, source in enumerate(lines[:line], start=1)
                  if _FULLWIDTH_KEY.match(source)), None)
    if colon is not None:
        return Problem("error", shown, colon, "", "yaml.syntax_fullwidth_colon",
                       {"source": lines[colon - 1].strip()})
    key = next((key for words, key in _KNOWN if words in said), None)
    if key == "yaml.syntax_token" and mark is not None and _char_at(lines, mark) == "\t":
        key = "yaml.syntax_tab"
    source = lines[line - 1].strip()
    if key is None:
        return Problem("error", shown, line, "", "yaml.syntax",
                       {"detail": (getattr(error, "problem", None) or said).strip(),
                        "source": source})
    return Problem("error", shown, line, "", key, {"source": source})


def _char_at(lines: list[str], mark: yaml.Mark) -> str:
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""
