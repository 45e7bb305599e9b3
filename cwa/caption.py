"""Photo captions (图片说明): what a caption says, and whether it is one at all.

Archives ask each photo to say 事由、时间、地点、人物、背景、摄影者. People write that in two
ways, and this module reads both:

- labelled fields, in any order and with the usual synonyms and separators:
  ``事由：学雷锋志愿服务；时间：2025年3月5日；地点：城东社区；人物：青年志愿者；摄影：李四``
- a free sentence: ``2025年3月5日，局青年志愿者在城东社区开展学雷锋志愿服务。（李四 摄）``
  — the date, the place after 在/于, the people named by their role (志愿者、干部职工…), the
  photographer's credit; what remains is the 事由.

The photo's own metadata fills what the text leaves out: the EXIF date taken for 时间, the
EXIF Artist for 摄影者. Text that is no caption — one character, a camera's file name
(``IMG_2025``), mojibake — is recognised as such. ``cwa check --deep``, ``cwa album`` and
``cwa catalog`` all read captions here, so they agree on what a caption says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

#: The six elements, in the order a caption lists them (keys of ``Caption.fields``).
ELEMENTS = ("事由", "时间", "地点", "人物", "背景", "摄影者")
#: What a caption must say when the rubric only says ``caption: required``.
DEFAULT_REQUIRED = ("事由", "时间", "地点", "人物")
#: Labels people write, and the element each stands for.
LABELS: dict[str, str] = {
    **dict.fromkeys(("事由", "主题", "内容", "事件", "活动", "题名", "标题", "说明"), "事由"),
    **dict.fromkeys(("时间", "日期", "拍摄时间", "拍摄日期"), "时间"),
    **dict.fromkeys(("地点", "拍摄地点", "地址", "场所"), "地点"),
    **dict.fromkeys(("人物", "人员", "参加人员", "参与人员", "主要人物", "出席人员"), "人物"),
    **dict.fromkeys(("背景", "画面背景", "背景说明"), "背景"),
    **dict.fromkeys(("摄影者", "摄影", "摄影人", "摄影师", "拍摄者", "拍摄人", "拍摄", "作者"),
                    "摄影者"),
}
#: Accepted in a rubric's ``caption: [...]`` list besides the six names.
ALIASES = {"作者": "摄影者", "摄影": "摄影者", "事件": "事由", "日期": "时间", "人员": "人物"}

class _Lazy:
    """A pattern compiled when first used: ``cwa check`` and ``cwa fix`` load this module
    for the elements a rubric may name, not to read captions."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            self._pattern = re.compile(*self._args)
        return getattr(self._pattern, name)


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _Lazy(pattern, flags))


_SEP = r"[；;，,。.、|/\s]"
_LABEL = _lazy(r"(?:^|(?<=" + _SEP + r"))\s*(" + "|".join(
    sorted(LABELS, key=len, reverse=True)) + r")\s*[：:]")
_DATE = _lazy(
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?(?:\s*[上下]午)?"
    r"|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{4}\s*年(?:度|初|底|春|夏|秋|冬)?")
_CREDIT = _lazy(
    r"[（(]\s*(?:摄影|拍摄|摄)?\s*[：:]?\s*([\u4e00-\u9fffA-Za-z·]{2,12})\s*摄?\s*[）)]\s*$"
    r"|(?:摄影者?|拍摄者?|摄影师|作者)\s*[：:]\s*([\u4e00-\u9fffA-Za-z· ]{2,12})\s*$"
    r"|(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})\s*摄\s*$")
_AT = _lazy(
    r"(?:在|于)\s*([\u4e00-\u9fffA-Za-z0-9（）()·\-]{2,24}?)"
    r"(?=开展|举行|举办|召开|参加|参观|组织|进行|慰问|看望|学习|观看|植树|集中|合影|$|"
    + _SEP + ")")
_PLACE = _lazy(
    r"([\u4e00-\u9fffA-Za-z0-9]{1,10}(?:社区|广场|会议室|礼堂|大厅|街道|公园|学校|中心|基地|林地"
    r"|村|镇|路|馆|大楼|办公楼|楼|报告厅|活动室|现场))")
_PEOPLE = _lazy(
    r"([\u4e00-\u9fffA-Za-z0-9、]{0,12}?(?:领导|干部|职工|党员|志愿者|同志|书记|局长|处长|科长"
    r"|主任|代表|群众|居民|学生|老师|教师|委员|嘉宾|专家|员工|青年|团员|工作人员|老人|儿童|官兵"
    r"|全体|一行|等人|[0-9一二三四五六七八九十百余多]+\s*[名位人])+)")
_CAMERA = _lazy(
    r"^(?:IMG|DSC[NF]?|DCIM|PXL|MVIMG|VID|WP|PIC|PHOTO|IMAGE|SCREENSHOT|MMEXPORT|WX_CAMERA"
    r"|P\d|微信图片|屏幕截图|截图|照片|图片|相片)[\s_\-]*[\dA-Za-z_\-\s.()（）]*$", re.IGNORECASE)
CAMERA_DEFAULTS = frozenset({"olympus digital camera", "sony dsc", "default", "image",
                             "samsung", "huawei", "exif_jpeg_picture", "photo", "picture"})
_MOJIBAKE_MARKS = ("\ufffd", "锟斤拷", "烫烫", "屯屯", "ï»¿")
_CJK = _lazy(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Caption:
    """A photo's caption: its text, the elements it gives, and the problem when it is
    no caption (``"none"``, ``"short"``, ``"camera"``, ``"mojibake"``)."""

    text: str
    fields: dict[str, str] = field(default_factory=dict)
    from_photo: frozenset[str] = frozenset()  # elements taken from EXIF, not the text
    labelled: bool = False
    problem: str | None = None

    @property
    def written(self) -> bool:
        """Is there a caption text at all (usable or not)?"""
        return bool(self.text)

    def lacking(self, required: Iterable[str] = DEFAULT_REQUIRED) -> list[str]:
        return [e for e in required if not self.fields.get(e)]


def read(text: str | None, taken: str | None = None, artist: str | None = None) -> Caption:
    """The caption ``text`` (None when the photo has none), completed by the photo's EXIF
    date ``taken`` (``2025:03:12 10:00:00``) and ``artist``."""
    text = _clean(text or "")
    problem = _problem(text)
    fields: dict[str, str] = {}
    labelled = False
    if problem is None:
        labelled = bool(_LABEL.search(text))
        fields = _labelled(text) if labelled else _sentence(text)
    from_photo = set()
    when = date_text(taken) if taken and not fields.get("时间") else None
    if when:
        fields["时间"] = when
        from_photo.add("时间")
    if not fields.get("摄影者") and artist and artist.strip():
        fields["摄影者"] = artist.strip()
        from_photo.add("摄影者")
    return Caption(text, {e: fields[e] for e in ELEMENTS if fields.get(e)},
                   frozenset(from_photo), labelled, problem)


def date_text(taken: str) -> str | None:
    """``2025:03:12 10:00:00`` → ``2025年3月12日`` (None when it is no date)."""
    found = re.match(r"(\d{4})[:\-./](\d{1,2})[:\-./](\d{1,2})", taken.strip())
    if not found:
        return None
    year, month, day = (int(x) for x in found.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31) or year < 1900:
        return None
    return f"{year}年{month}月{day}日"


def sidecar(photo: Path) -> str | None:
    """The text of the ``.txt`` of the same name beside a photo (UTF-8 or GB18030)."""
    return read_text(photo.with_suffix(".txt"))


def read_text(text: Path, limit: int = 16_384) -> str | None:
    """A caption file's text (UTF-8 or GB18030), None when it cannot be read."""
    try:
        with open(text, "rb") as fh:
            raw = fh.read(limit)
    except OSError:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).strip() or None
        except UnicodeDecodeError:
            continue
    return None


def element(name: str) -> str | None:
    """A rubric's name for an element (``作者``, ``时间``…) → the element, or None."""
    name = name.strip()
    return name if name in ELEMENTS else ALIASES.get(name)


# -- reading -------------------------------------------------------------------------------

def _clean(text: str) -> str:
    text = text.replace("\x00", "").replace("\r", "\n").strip()
    return re.sub(r"[ \t\u3000]+", " ", text)


def _problem(text: str) -> str | None:
    if not text:
        return "none"
    if any(mark in text for mark in _MOJIBAKE_MARKS) or _garbled(text):
        return "mojibake"
    if re.fullmatch(r"[\W_]+", text):
        return "short"
    if _CAMERA.match(text) or text.casefold() in CAMERA_DEFAULTS or re.fullmatch(
            r"[\W\d_]+", text) or re.search(r"\.(?:jpe?g|png|heic|tiff?)$", text, re.I):
        return "camera"
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk < 2 and latin < 2:
        return "short"
    return None


def _garbled(text: str) -> bool:
    """UTF-8 read as Latin-1 (``å­¦é›·é”‹``) or as GBK (``瀛﹂浄閿``): text that turns back
    into clean Chinese when the wrong decoding is undone; or 汉字 saved as ``?``."""
    if re.search(r"[\u00c0-\u00ff][\u0080-\u00ff\u0152-\u2122]", text):
        return True
    if re.search(r"\?{3,}", text) and not _CJK.search(text):  # 汉字 written as "?"
        return True
    cjk = len(_CJK.findall(text))
    if cjk >= 3:
        try:
            undone = text.encode("gbk").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return False
        back = len(_CJK.findall(undone))
        return back >= 2 and undone.count("\ufffd") <= 1 and back * 2 >= cjk
    return False


def _labelled(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    marks = list(_LABEL.finditer(text))
    lead = text[:marks[0].start()].strip(" ；;，,。\n") if marks else ""
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        value = text[mark.end():end].strip(" ；;，,。\n")
        name = LABELS[mark.group(1)]
        if value and not _blank(value) and name not in fields:
            fields[name] = value
    if lead and "事由" not in fields:
        fields["事由"] = lead
    return fields


def _blank(value: str) -> bool:
    """A field left for the clerk: underscores, dashes, 无, 略."""
    return bool(re.fullmatch(r"[_＿\-—－.。…·\s]*|无|略|暂无|不详|待填", value))


def _sentence(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    rest = text
    credit = _CREDIT.search(rest)
    if credit:
        fields["摄影者"] = next(g for g in credit.groups() if g).strip()
        rest = rest[:credit.start()]
    date = _DATE.search(rest)
    if date:
        fields["时间"] = re.sub(r"\s+", "", date.group(0))
        if date.start() == 0:  # a leading date is the time, not part of what happened
            rest = rest[date.end():]
    place = _AT.search(rest) or _PLACE.search(rest)
    if place:
        fields["地点"] = place.group(1)
    people = _PEOPLE.search(rest)
    if people:
        fields["人物"] = people.group(1).strip("、")
    background = re.search(r"背景(?:为|是)\s*([^，,。；;]+)", rest)
    if background:
        fields["背景"] = background.group(1)
    what = rest.strip(" ，,。；;：:\n")
    if len(_CJK.findall(what)) >= 2 or len(re.findall(r"[A-Za-z]{2,}", what)) >= 2:
        fields["事由"] = what
    return fields


# -- judging (cwa check --deep) --------------------------------------------------------------

def judge(found: Caption | None, required: Iterable[str] = ()) -> tuple[str, dict[str, Any]] | None:
    """The finding for a photo whose rubric asks for a caption: PH001 when it has none,
    PH003 when its text is no caption or lacks a required element; None when it is fine."""
    from cwa import wording
    from cwa.messages import t

    if found is None or not found.written:
        return ("PH001", {})
    shown = found.text if len(found.text) <= 24 else found.text[:23] + "…"
    if found.problem is not None:
        return ("PH003", {"text": shown, "problem": found.problem, "missing": [],
                          "why": t(f"caption.problem.{found.problem}")})
    missing = found.lacking(tuple(required) or DEFAULT_REQUIRED)
    if missing:
        return ("PH003", {"text": shown, "problem": "incomplete", "missing": missing,
                          "why": t("caption.missing", elements=wording.listing(
                              t(f"caption.element.{ELEMENTS.index(e)}") for e in missing))})
    return None
