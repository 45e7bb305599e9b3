"""Build ``examples/qinghe-tax``: the archive of a fictitious unit, with planted problems.

清河区税务局 (fictitious) keeps its 2024–2026 creation archive against the default rubric
(archive-scope). Some indicators are complete, some partial, some empty; a few documents
use ``_`` or ``-`` instead of ``：``; there is a gap and a repeat in the numbering, a Word
lock file, an empty file, a document out of the year window, a folder named after an older
wording, a folder that matches nothing and a missing indicator folder.

Names illegal on Windows and paths over 260 characters are left out on purpose: this
repository must check out on Windows. The tests cover both.

Run from the repository root:  python examples/make_example.py
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cwa.apply import apply  # noqa: E402
from cwa.config import Config, render  # noqa: E402
from cwa.plan import plan_init  # noqa: E402
from cwa.rubric import bundled  # noqa: E402
from cwa.rubric.model import Naming, Years  # noqa: E402

TARGET = HERE / "qinghe-tax"
UNIT = "清河区税务局"
YEARS = Years(2024, 2026)
FIXED = dt.datetime(2025, 6, 30, 9, 0, 0)


def docx(path: Path, body: str, footer_name: bool = True) -> None:
    """A real .docx with a title, a paragraph and (as the scheme asks) the document's name
    right-aligned in its footer."""
    document = Document()
    document.core_properties.author = UNIT
    document.core_properties.created = FIXED
    document.core_properties.modified = FIXED
    document.core_properties.title = path.stem
    document.add_heading(path.stem.split("：", 1)[-1], level=1)
    document.add_paragraph(body)
    document.add_paragraph(f"{UNIT}　{FIXED:%Y年%m月%d日}")
    if footer_name:
        footer = document.sections[0].footer.paragraphs[0]
        footer.text = path.stem
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def scene(seed: int, colour: tuple[int, int, int], shift: int = 0) -> Image.Image:
    """A 960×720 picture of its own: shapes placed by ``seed`` (``shift`` moves them a
    little, as a second shot of the same scene would)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 720), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(0, 860) + shift, rng.randrange(0, 620)
        w, h = rng.randrange(40, 260), rng.randrange(40, 200)
        shade = tuple(rng.randrange(0, 256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=shade)
        else:
            draw.ellipse((x, y, x + w, y + h), fill=shade)
    return image


def jpeg(path: Path, seed: int, caption: str | None, shift: int = 0) -> None:
    """A real JPEG with an EXIF date and, when given, a caption (ImageDescription)."""
    image = scene(seed, (200, 210, 220), shift)
    exif = Image.Exif()
    exif[0x0132] = FIXED.strftime("%Y:%m:%d %H:%M:%S")  # DateTime
    if caption:  # XPComment, UTF-16 as Windows writes it (ImageDescription is ASCII)
        exif[0x9C9C] = caption.encode("utf-16-le") + b"\x00\x00"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=70, exif=exif)


def build() -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    rubric, _ = bundled.load_ref(bundled.DEFAULT)
    plan = plan_init(TARGET, rubric, bundled.DEFAULT, YEARS, Naming())
    apply(TARGET, plan.operations, "init")
    shutil.rmtree(TARGET / ".cwa")  # the example ships without init's journal
    config = TARGET / "cwa.yaml"
    config.unlink()
    config.write_text(render(Config(bundled.DEFAULT, YEARS)), encoding="utf-8")

    a = TARGET / "01：思想建设类"
    # 1.1 complete, plus a document from before the archive's years
    d = a / "01：上级精神文明建设文件及评比材料"
    docx(d / "01：关于开展2024年度文明单位创建活动的通知.docx",
         "清文明委〔2024〕3号　区文明委通知各单位开展创建活动。")
    docx(d / "02：申报文明单位事迹材料.docx", "我局创建工作的主要做法和成效。")
    docx(d / "03：区文明委表彰决定.docx", "授予清河区税务局区级文明单位称号。")
    docx(d / "04：2021年度文明单位表彰决定.docx", "上一届的表彰决定。")
    # 1.2 per-year plans and summaries: 2026 missing
    d = a / "02：本单位文明建设规划计划与总结"
    docx(d / "01：创建文明单位规划和实施方案.docx", "三年创建规划与年度实施方案。")
    docx(d / "02：创建工作检查考核记录.docx", "季度检查考核记录。")
    docx(d / "03：市级文明单位获奖证书.docx", "证书扫描件说明。")
    for year in (2024, 2025):
        docx(d / str(year) / f"01：{year}年文明建设计划.docx", f"{year}年工作要点。")
        docx(d / str(year) / f"02：{year}年文明建设工作总结.docx", f"{year}年全年总结。")
    docx(d / "04：半年工作总结.docx", "没有写年份的半年总结。")
    # 1.3 complete — the seed's own example name — and a Word lock file beside it
    d = a / "03：组织机构建设"
    docx(d / "01：创建领导小组文件.docx", "关于成立精神文明建设领导小组的通知。")
    docx(d / "02：责任分工及工作人员名单.docx", "领导小组成员分工。")
    (d / "~$创建领导小组文件.docx").write_bytes(b"\x0cclerk\x00" * 20)
    # 1.4 partial, named with other separators
    d = a / "04：班子建设"
    docx(d / "01_党建工作计划.docx", "年度党建工作计划。")
    docx(d / "02-党委中心组学习记录.docx", "中心组学习记录。")
    jpeg(d / "03：参观学习照片.jpg", 1, "2025年5月 参观红色教育基地")
    # 1.5 empty (the folder is there, the evidence is not)
    # 1.6 under an older folder name, numbered 一、, with a gap in its documents
    d = a / "06：思想政治工作"
    d.rename(a / "6、思想政治工作")
    d = a / "6、思想政治工作"
    docx(d / "01：思想政治工作教育计划.docx", "教育计划。")
    docx(d / "02：思想政治工作责任制度.docx", "责任制度及网络图。")
    docx(d / "04：学习英模活动情况反映和经验材料.docx", "情况反映。")

    b = TARGET / "02：工作成绩类"
    for year in YEARS.span():
        docx(b / "01：工作目标" / f"{year}年" / f"01：{year}年度工作计划.docx", "队伍建设和业务工作计划。")
    d = b / "02：制度建设"
    docx(d / "01：工作管理制度汇编.docx", "各项工作管理制度。")
    docx(d / "02：岗位责任制度.docx", "各类岗位工作责任制度。")
    docx(d / "02：安全管理制度.docx", "安全管理制度。")
    (d / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0thumbs")

    c = TARGET / "03：环境卫生类"
    c.rename(TARGET / "03：环境卫生")
    c = TARGET / "03：环境卫生"
    d = c / "01：环境建设"
    docx(d / "01：门前三包和卫生责任区制度.docx", "门前三包制度。")
    jpeg(d / "02：绿化美化亮化情况.jpg", 2, "2025年6月 办公楼前绿化 清河区税务局")
    (d / "03：创三优工作计划.docx").write_bytes(b"")  # saved as an empty file
    shutil.rmtree(c / "02：创建卫生先进单位活动")  # an indicator folder that went missing

    d = TARGET / "04：道德风尚类" / "02：职业道德建设"
    docx(d / "服务承诺制度和岗位规范.docx", "服务承诺制度。")

    d = TARGET / "06：其它创建类" / "02：参与共建工作"
    jpeg(d / "01：文明社区共建活动.jpg", 3, "2025年3月5日 共建社区 学雷锋志愿服务")
    docx(d / "02：军民共建活动情况反映.docx", "军民共建活动情况。", footer_name=False)

    d = TARGET / "07：荣誉类"
    jpeg(d / "01：2025年植树活动照片.jpg", 4, "2025年3月12日 植树节 城东林地")
    jpeg(d / "02：志愿服务活动照片.jpg", 5, None)  # no caption, although 图片汇编 asks for one
    docx(d / "03：新闻报道资料汇编.docx", "2024—2026 年新闻报道。")
    jpeg(d / "04：2025年植树活动照片（二）.jpg", 4, "2025年3月12日 植树节", shift=3)  # same scene
    jpeg(d / "05：表彰大会照片.jpg", 6, "2025年12月 表彰大会")
    whole = (d / "05：表彰大会照片.jpg").read_bytes()
    (d / "05：表彰大会照片.jpg").write_bytes(whole[: len(whole) * 2 // 3])  # copied half way

    # 1.5: the one document there is damaged, so the indicator still has nothing usable
    d = a / "05：党风廉政建设"
    docx(d / "01：党风廉政建设责任制度.docx", "责任制度。")
    whole = (d / "01：党风廉政建设责任制度.docx").read_bytes()
    (d / "01：党风廉政建设责任制度.docx").write_bytes(whole[:4000])
    # the same document archived under two indicators: a reference would do
    shutil.copyfile(a / "03：组织机构建设" / "01：创建领导小组文件.docx",
                    b / "02：制度建设" / "04：创建领导小组文件.docx")

    d = TARGET / "临时资料"
    docx(d / "待整理的会议记录.docx", "尚未归类的材料。")
    docx(TARGET / "创建工作说明.docx", "放在了档案根目录的文件。")


if __name__ == "__main__":
    build()
    print(f"built {TARGET.relative_to(HERE.parent)}")
