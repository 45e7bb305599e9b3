"""Every user-facing text, in Chinese (default) and English.

``t(key, **args)`` renders a message in the current language. The language comes from
``--lang`` or the ``CWA_LANG`` environment variable (``zh`` or ``en``).

English counts take a plural form: ``{count} {count:photo|photos}`` gives "1 photo",
"3 photos" (Chinese needs none: its measure words do not change).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from cwa.messages.zh import MESSAGES as ZH
from cwa.printable import printable

LANGUAGES = ("zh", "en")
_state = {"lang": "zh"}
#: The catalogue of the language in use; English is imported when chosen.
_in_use: list[dict[str, str]] = [ZH]


class _Catalogues(dict[str, dict[str, str]]):
    """Language → catalogue, each imported when first asked for."""

    def __missing__(self, lang: str) -> dict[str, str]:
        if lang != "en":
            raise KeyError(lang)
        from cwa.messages.en import MESSAGES

        self[lang] = MESSAGES
        return MESSAGES

    def values(self) -> Any:
        return [self[lang] for lang in LANGUAGES]


CATALOGUES = _Catalogues(zh=ZH)


def normalise_lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return None


def detect(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """``--lang X`` / ``--lang=X`` on the command line, else ``CWA_LANG``, else Chinese."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_lang(argv[i + 1]) or "zh"
        if arg.startswith("--lang="):
            return normalise_lang(arg.split("=", 1)[1]) or "zh"
    return normalise_lang(environ.get("CWA_LANG")) or "zh"


def set_lang(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "zh"
    _in_use[0] = CATALOGUES[_state["lang"]]


def current() -> str:
    """The language messages are in now."""
    return _state["lang"]


class _Plurals(string.Formatter):
    """``{n:one|many}``: the singular when ``n`` is 1, else the plural."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec and isinstance(value, int):
            one, _, many = format_spec.partition("|")
            return one if value == 1 else many
        return str(super().format_field(value, format_spec))


_PLURALS = _Plurals()


def t(key: str, /, **args: Any) -> str:
    """The message ``key`` in the current language. Text arguments are data (file names,
    rubric strings): characters that could act as control are shown as escapes."""
    template = _in_use[0].get(key)
    if template is None:  # "" is a real translation (English has no measure words)
        template = ZH[key]
    if not args:
        return template
    for name, value in args.items():
        if type(value) is str and not value.isprintable():
            args[name] = printable(value)
    if "|" in template:  # a plural form (see _Plurals)
        return _PLURALS.format(template, **args)
    return template.format(**args)


def fill(key: str, args: Mapping[str, Any]) -> str:
    """``t(key, **args)`` for a message made for every finding of an archive: a template
    without placeholders as it is, others filled from ``args`` without copying them."""
    template = _in_use[0].get(key)
    if template is None:
        template = ZH[key]
    if "{" not in template:
        return template
    for value in args.values():
        if type(value) is str and not value.isprintable():
            return t(key, **args)  # a name to escape: the general way
    if "|" in template:
        return _PLURALS.vformat(template, (), args)
    return template.format_map(args)
