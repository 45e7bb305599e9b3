"""A 报送说明 / 材料清单 cell as evidence items, where its wording is clear.

Read sentence by sentence: the kinds from the nouns (文件、方案、总结、记录… → text; 照片、
图片 → image; 视频、录像 → av; 链接、网址 → link), the counts (``不少于2张``, ``3张``,
``2次…纪要``), activities (``提供2次…（每次3张）``: N dated activities, each with its
bundle), the cadence and the
years (``3月起每月``, ``每季度``, ``每年``/``本年度``, ``12月底前``), a formal document
(``正式文件``, ``文号``), a caption (``配文字说明``), a length (``500字以内``). A phrase
without a noun that says what to hand in makes no item; the whole text is kept as a note
either way. Every reading is recorded, to be shown as ``# 推断：…``.
"""

from __future__ import annotations

import re

from cwa import naming
from cwa.messages import t
from cwa.rubric.importer.draft import DraftEvidence
from cwa.rubric.importer.numbering import chinese
from cwa.rubric.importer.points import _PAREN as POINTS_IN_PARENS

IMAGE_WORDS = ("照片", "图片", "相片", "截图", "截屏", "图像", "剪影")
AV_WORDS = ("视频", "录像", "音像", "录音", "音频", "影像")
LINK_WORDS = ("链接", "网址", "网页地址")  # 全国 2020: links may replace documents
TEXT_WORDS = ("文件", "方案", "总结", "记录", "纪要", "制度", "计划", "通知", "报告", "简报",
              "讲话", "责任书", "说明", "台账", "办法", "规划", "名单", "决定", "文字", "登记",
              "签到", "目录", "守则", "规范", "章程", "意见", "通报", "汇编", "书目", "心得",
              "体会", "讲稿", "主持词", "发言", "协议", "证书", "报表", "清单", "统计表",
              "花名册", "文档", "文章", "稿件", "投稿", "信息", "征文", "倡议书", "承诺书",
              "细则", "安排", "要点", "新闻", "报道", "宣传品", "作品")
_NUMBER = r"(\d{1,3}|[一二两三四五六七八九十]{1,2})"
_SENTENCES = re.compile(r"[\n；;。]+")
_PHRASES = re.compile(r"[、，,]|以及|(?<=[^\s])(?:及(?!时)|和(?!谐)|(?<!参)与|并(?!且))(?=[^\s])")
_PARENS = re.compile(r"[（(]([^（）()]*)[）)]")
_ACTIVITIES = re.compile(rf"{_NUMBER}\s*次")
_EACH = re.compile(rf"每次\s*(?:不少于|至少)?\s*{_NUMBER}\s*(张|份|幅|段)")
_SUBJECT = re.compile(r"开展(.{2,20}?)(?:活动)?(?:的|，|,|$)")
_COUNT = re.compile(rf"(?:不少于|至少|不低于)?\s*{_NUMBER}\s*(张|份|篇|次|个|期|幅|段)(?:以上)?")
_START = re.compile(r"(\d{1,2})\s*月(?:份)?起\s*每月")
_DEADLINE = re.compile(r"(\d{1,2})\s*月\s*(?:底|末|\d{1,2}日)?\s*(?:前|之前|以前)")
_MAX_CHARS = re.compile(r"(?:不超过|不多于|限|≤)\s*(\d{2,5})\s*字|(\d{2,5})\s*字(?:以内|之内)")
_CAPTION = re.compile(r"配(?:有|以)?(?:文字)?说明|图片说明|照片说明|注明(?:时间|地点|事由)")
_FORMAL = re.compile(r"正式文件|文号|红头文件")
#: 陕西: 视频、图片后缀必须标明拍摄时间 — a rule for the cell's photos and recordings
_DATED = re.compile(r"(?:文件名|后缀|命名)[^，,。；;]{0,8}(?:标明|注明|写明|标注|含有?|包含)"
                    r"(?:拍摄)?(?:时间|日期)")
_CLAUSES = re.compile(r"[，,]")
_VERBS = re.compile(
    r"^(?:并且?|且|另|还|同时)?(?:需要|需|须|应当|应|要|请)?(?:及时)?"
    r"(?:上传|提供|报送|提交|上报|附上|附|收集|整理|留存|保存|归档|建立|制定|形成|有)?(?:开展)?")
_DROP = re.compile(
    r"\d{1,2}\s*月(?:份)?起\s*每月|\d{1,2}\s*月\s*(?:底|末|\d{1,2}日)?\s*(?:前|之前|以前)"
    r"|\d{2,5}\s*字(?:左右|以上|以内|之内)?的?|(?:不超过|不多于|限)\s*\d{2,5}\s*字"
    rf"|(?:不少于|至少|不低于)?\s*{_NUMBER}\s*(?:张|份|篇|次|个|期|幅|段)(?:以上)?的?"
    r"|每月|每季度|每季|每半年|每年度?|本年度|当年|全年|按月|按季度?|(?:相关|有关)的?"
    r"|通过[^，,、]{1,12}?系统|电子版")
_CADENCES = (("每季度", "quarterly"), ("每季", "quarterly"), ("按季", "quarterly"),
             ("每半年", "half-yearly"), ("每月", "monthly"), ("按月", "monthly"))
_YEARLY = ("每年", "本年度", "年度", "当年", "全年", "每一年")


def number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese(text.replace("两", "二"))


def kinds(phrase: str) -> tuple[str, ...]:
    """The kinds a phrase names: 图文简报 is text and image."""
    out = []
    if "图文" in phrase or any(w in phrase for w in TEXT_WORDS) or "文字资料" in phrase:
        out.append("text")
    if "图文" in phrase or any(w in phrase for w in IMAGE_WORDS) or "图片资料" in phrase:
        out.append("image")
    if any(w in phrase for w in AV_WORDS):
        out.append("av")
    if any(w in phrase for w in LINK_WORDS):
        out.append("link")
    if out == ["text", "image"] and "图文" not in phrase and "文字" not in phrase:
        out = ["image"]  # 现场图片说明 is a photo (and its caption), 会议照片 one too
    return tuple(out)


def read(text: str) -> list[DraftEvidence]:
    """Evidence items from a materials cell (owners and points already taken out)."""
    text = naming.ascii_digits(POINTS_IN_PARENS.sub("", text))
    items: list[DraftEvidence] = []
    formal: list[DraftEvidence] = []  # items a 正式文件 / 文号 sentence speaks of
    for_all = False  # "电子版，要有文号" on its own: every document of the cell
    dated = False  # "视频、图片后缀必须标明拍摄时间": every photo and recording of the cell
    for sentence in _SENTENCES.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if _DATED.search(sentence):  # a clause said of the cell's photos and recordings;
            dated = True  # the sentence's other clauses may name items
            sentence = "，".join(c for c in _CLAUSES.split(sentence)
                                if c.strip() and not _DATED.search(c))
            if not sentence:
                continue
        activity = _activity(sentence)
        found = [activity] if activity is not None else _phrases(sentence)
        items += found
        if _FORMAL.search(sentence):
            formal += found
            for_all = for_all or not found
    for item in items if for_all else formal:
        if "text" in item.kinds:
            item.formal = True
            item.inferred.append(t("import.inferred.formal"))
    for item in items if dated else ():
        if {"image", "av"} & set(item.kinds or ("image",)):
            item.dated = True
            item.inferred.append(t("import.inferred.dated"))
    return items


def _timing(sentence: str, item: DraftEvidence) -> None:
    m = _START.search(sentence)
    if m and 1 <= int(m.group(1)) <= 12:
        item.cadence, item.start = "monthly", int(m.group(1))
        item.inferred.append(t("import.inferred.start", month=item.start, words=m.group(0)))
    else:
        for word, cadence in _CADENCES:
            if word in sentence:
                item.cadence = cadence
                item.inferred.append(t("import.inferred.cadence", cadence=t(
                    f"import.cadence.{cadence}"), words=word))
                break
    if item.cadence is None:
        yearly = next((w for w in _YEARLY if w in sentence), None)
        if yearly is not None:
            item.per_year = True
            item.inferred.append(t("import.inferred.per_year", words=yearly))
    m = _DEADLINE.search(sentence)
    if m and 1 <= int(m.group(1)) <= 12 and (item.per_year or item.cadence):
        item.deadline = int(m.group(1))
        item.inferred.append(t("import.inferred.deadline", month=item.deadline,
                               words=m.group(0)))


def _activity(sentence: str) -> DraftEvidence | None:
    """``提供2次开展学习教育活动的文字资料和现场图片（每次3张）``."""
    each = _EACH.search(sentence)
    times = _ACTIVITIES.search(sentence.replace(each.group(0), "") if each else sentence)
    if each is None or times is None:
        return None
    count = number(times.group(1))
    per = number(each.group(1))
    if not count or not per:
        return None
    subject_m = _SUBJECT.search(sentence)
    subject = subject_m.group(1).strip() if subject_m else ""
    title = subject + ("活动" if subject and not subject.endswith("活动") else "") \
        if subject else _title(sentence) or t("import.activity_title")
    item = DraftEvidence(title=title, activities=count,
                         match=[subject.removesuffix("活动")] if subject else [],
                         note=sentence)
    item.inferred.append(t("import.inferred.activities", count=count, words=times.group(0)))
    rest = sentence[subject_m.end():] if subject_m else sentence
    parts = [p for p in _PHRASES.split(_PARENS.sub("", rest)) if p.strip()]
    for part in parts:
        part_kinds = kinds(part)
        if not part_kinds:
            continue
        piece = DraftEvidence(title=_title(part) or part.strip(), kinds=part_kinds)
        unit = each.group(2)
        if ("image" in part_kinds and unit in ("张", "幅")) or ("av" in part_kinds
                                                               and unit == "段"):
            piece.min = per
        item.bundle.append(piece)
    if not item.bundle:
        item.bundle.append(DraftEvidence(title=t("import.photos_title"), kinds=("image",),
                                         min=per))
    item.inferred.append(t("import.inferred.bundle", count=per, words=each.group(0)))
    _timing(sentence, item)
    return item


def _phrases(sentence: str) -> list[DraftEvidence]:
    notes: list[str] = [m.group(1) for m in _PARENS.finditer(sentence)]
    protected = _PARENS.sub("", sentence)
    caption = bool(_CAPTION.search(sentence))
    out: list[DraftEvidence] = []
    for phrase in _PHRASES.split(protected):
        phrase = phrase.strip()
        found = kinds(phrase)
        if not found or _CAPTION.fullmatch(phrase.strip("配以有")):
            continue
        title = _title(phrase)
        if len(title) < 2:
            continue
        item = DraftEvidence(title=title, kinds=found)
        item.inferred.append(t("import.inferred.kinds", kinds="、".join(
            t(f"kind.{k}") for k in found), words=title))
        m = _COUNT.search(phrase)
        if m:
            value = number(m.group(1))
            if value and value > 1:
                item.min = value
                item.inferred.append(t("import.inferred.min", count=value, words=m.group(0)))
        m = _MAX_CHARS.search(sentence)
        if m and "text" in found:
            item.max_chars = int(m.group(1) or m.group(2))
            item.inferred.append(t("import.inferred.max_chars", count=item.max_chars,
                                   words=m.group(0)))
        if caption and "image" in found:
            item.caption = True
            item.inferred.append(t("import.inferred.caption"))
        _timing(sentence, item)
        out.append(item)
    if out and notes:
        joined = "；".join(n for n in notes if n.strip())
        if joined:
            out[0].note = joined
    return out


def _title(phrase: str) -> str:
    """What to call the material: the phrase without verbs, counts, cadence and asides."""
    text = _PARENS.sub("", phrase)
    text = _DROP.sub("", text)
    text = _VERBS.sub("", text.strip(), count=1)
    text = re.sub(r"^(?:的|将|把|对|在|由|本单位|本部门)+|(?:的|等|等等)+$", "", text.strip())
    return text.strip(" ：:，,。.")[:40]
