"""One catalogue, two languages: every key in both, every finding explained, help complete."""

from __future__ import annotations

import re
import string

import pytest

from cwa.findings import CODES
from cwa.messages import CATALOGUES, detect
from cwa.messages.en import MESSAGES as EN
from cwa.messages.zh import MESSAGES as ZH
from tests.conftest import run


def fields(template: str) -> set[str]:
    return {name.split("!")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(ZH) == set(EN)
    for key in ZH:
        assert fields(ZH[key]) == fields(EN[key]), key


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_finding_code_has_a_message_and_a_hint(code: str) -> None:
    for catalogue in CATALOGUES.values():
        assert f"finding.{code}" in catalogue
        assert f"hint.{code}" in catalogue
        assert f"rule.{code}" in catalogue  # SARIF's and GitHub's rule title


def test_every_key_used_in_the_code_exists() -> None:
    from pathlib import Path

    used: set[str] = set()
    for path in (Path(__file__).parent.parent / "cwa").rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[A-Za-z0-9_]+)"', path.read_text("utf-8")))
    assert used, "the scan for t(...) calls found nothing"
    assert used - set(ZH) == set()


@pytest.mark.parametrize(
    ("argv", "env", "lang"),
    [([], {}, "zh"), (["--lang", "en"], {}, "en"), (["check", "--lang=en"], {}, "en"),
     ([], {"CWA_LANG": "en_US.UTF-8"}, "en"), ([], {"CWA_LANG": "zh_CN"}, "zh"),
     (["--lang", "fr"], {}, "zh")],
)
def test_language_detection(argv: list[str], env: dict[str, str], lang: str) -> None:
    assert detect(argv, env) == lang


@pytest.mark.parametrize("command", [[], ["init"], ["check"], ["rubric"], ["rubric", "list"],
                                     ["rubric", "show"], ["rubric", "validate"]])
def test_every_command_has_help_in_chinese(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"[\u4e00-\u9fff]", result.stdout)


def test_help_in_english() -> None:
    result = run("--lang", "en", "check", "--help")
    assert result.exit_code == 0


def test_bad_language_is_a_usage_error() -> None:
    result = run("--lang", "fr", "rubric", "list")
    assert result.exit_code == 2
    assert "不支持的语言“fr”（可用：zh、en）" in result.output


def test_version() -> None:
    from cwa import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"cwa {__version__}\n"


def test_fill_says_what_t_says_however_often_a_message_repeats() -> None:
    """``messages.fill`` (the findings' fast way) says what ``t`` says: the same values
    give the same text, other values (and types) their own, escapes included."""
    from cwa import messages

    cases = [("finding.NM001", {"name": "a.docx", "sep": "："}),
             ("finding.NM001", {"name": "b.docx", "sep": "："}),
             ("finding.NM001", {"name": "c.docx", "sep": "_"}),
             ("finding.NM002", {"name": "x", "fixed": "01：x.docx"}),
             ("finding.NM002", {"name": "x", "fixed": "01：x\u202e.docx"}),
             ("finding.NM002", {"name": "x", "fixed": True}),
             ("finding.NM002", {"name": "x", "fixed": 1}),
             ("finding.NM002", {"name": "x", "fixed": 1.0}),
             ("finding.NM003", {"missing": [2, 3], "numbers": "02、03"}),
             ("finding.YR002", {"year": 2019, "years": "2024-2026"})]
    for lang in ("zh", "en", "zh"):
        messages.set_lang(lang)
        for _ in range(3):
            for key, args in cases:
                assert messages.fill(key, dict(args)) == messages.t(key, **args), (key, args)
    messages.set_lang("zh")
    assert messages.fill("finding.NM002", {"name": "x", "fixed": True}) != \
        messages.fill("finding.NM002", {"name": "x", "fixed": 1})
    assert "\\u202e" in messages.fill("finding.NM002", {"name": "x", "fixed": "01：x\u202e"})
