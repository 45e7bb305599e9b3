"""Build a folder of eight fictitious units' archives for trying ``cwa summary``.

The 文明办 of 清河区 (fictitious) collects its units' archives on a shared drive. Each
unit carries the district's rubric (``测评体系.yaml``: points, a quarterly 信息报送, a
一票否决 item, unit types) and has filled it to a different degree; one declared its
一票否决 item, one has a damaged cwa.yaml. Folder times are set to fixed dates so the
summary reads the same on every machine.

    python examples/make_units.py /tmp/清河区         # then: cwa summary /tmp/清河区
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

RUBRIC = """\
rubric: 清河区文明单位测评细则（示例）
edition: "2025"
years: {from: 2025, to: 2025}
unit_types: [机关, 学校, 企业]
vetoes:
  - {code: "1", text: 发生重大安全生产事故}
indicators:
  - code: "1"
    name: 组织管理
    points: 6
    children:
      - {code: "1.1", name: 创建规划, points: 2, evidence: [{title: 年度创建计划, kinds: [text]}]}
      - {code: "1.2", name: 领导机构, points: 2, evidence: [{title: 领导小组文件, kinds: [text]}]}
      - {code: "1.3", name: 工作总结, points: 2, evidence: [{title: 年度工作总结, kinds: [text]}]}
  - code: "2"
    name: 宣传教育
    points: 4
    children:
      - {code: "2.1", name: 道德讲堂, points: 2, evidence: [{title: 道德讲堂记录, kinds: [text]}]}
      - code: "2.2"
        name: 信息报送
        points: 2
        evidence: [{title: 工作信息, kinds: [text], cadence: quarterly}]
"""
LEAVES = [("01：组织管理/01：创建规划", "01：年度创建计划.docx"),
          ("01：组织管理/02：领导机构", "01：领导小组文件.docx"),
          ("01：组织管理/03：工作总结", "01：年度工作总结.docx"),
          ("02：宣传教育/01：道德讲堂", "01：道德讲堂记录.docx")]
INFO = "02：宣传教育/02：信息报送"
QUARTERS = "一二三四"
#: folder, unit, type, leaves filled, quarters handed in, 一票否决 declared, last change
UNITS = [
    ("税务局", "清河区税务局", "机关", 4, 4, False, "2025-12-30"),
    ("教育局", "清河区教育局", "机关", 4, 2, False, "2025-12-18"),
    ("实验小学", "清河区实验小学", "学校", 3, 3, False, "2025-11-20"),
    ("第一中学", "清河区第一中学", "学校", 2, 4, False, "2025-12-05"),
    ("自来水公司", "清河自来水有限公司", "企业", 4, 3, True, "2025-12-22"),
    ("文化馆", "清河区文化馆", "机关", 1, 1, False, "2025-08-14"),
    ("供电所", "清河供电所", "企业", 0, 0, False, "2025-03-02"),
]


def make(root: Path) -> None:
    for folder, unit, kind, leaves, quarters, vetoed, changed in UNITS:
        archive = root / folder
        archive.mkdir(parents=True)
        (archive / "测评体系.yaml").write_text(RUBRIC, encoding="utf-8")
        (archive / "cwa.yaml").write_text(
            'rubric: "测评体系.yaml"\nyears: {from: 2025, to: 2025}\n'
            f"unit_type: {kind}\nvetoes: {{\"1\": {'是' if vetoed else '否'}}}\n"
            f"catalog: {{unit: {unit}}}\n", encoding="utf-8")
        for i, (leaf, document) in enumerate(LEAVES):
            (archive / leaf).mkdir(parents=True)
            if i < leaves:
                (archive / leaf / document).write_bytes(b"x")
        (archive / INFO).mkdir(parents=True)
        for q in range(quarters):
            name = f"{q + 1:02d}：2025年第{QUARTERS[q]}季度工作信息.docx"
            (archive / INFO / name).write_bytes(b"x")
        when = datetime.fromisoformat(changed + "T17:00:00").timestamp()
        for path in sorted(archive.rglob("*"), reverse=True):
            os.utime(path, (when, when))
        os.utime(archive, (when, when))
    damaged = root / "卫健局"  # a cwa.yaml cut short: a row with the reason, not an abort
    damaged.mkdir()
    (damaged / "cwa.yaml").write_text('rubric: "测评体系.yaml\n', encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2 or Path(sys.argv[1]).exists():
        sys.exit("usage: python examples/make_units.py NEW_FOLDER")
    make(Path(sys.argv[1]))
    print(f"{len(UNITS) + 1} units in {sys.argv[1]}")
