"""What the tests of ``cwa serve`` share: a root of two unit archives made by ``cwa init``
with real photos and documents, accounts made through the CLI, and a logged-in client."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docx import Document
from PIL import Image
from typer.testing import CliRunner, Result

from cwa import messages
from cwa.cli import build_app
from tests.conftest import run

RUBRIC = """\
rubric: 服务测试体系
years: {from: 2024, to: 2025}
indicators:
  - code: "1"
    name: 创建工作机制
    points: 6
    clauses:
      - {text: 每年召开专题会议（2分）, points: 2, evidence: [{title: 专题会议照片, kinds: [image], min: 1}]}
      - {text: 班子研究创建工作2次（2分）, points: 2, evidence: [{title: 班子会议纪要, kinds: [text], min: 2}]}
      - {text: 办公环境整洁（2分）, points: 2, methods: [实地考察]}
  - code: "2"
    name: 理想信念教育
    points: 4
    evidence: [{title: 中心组学习记录, kinds: [text], min: 1}]
"""
PASSWORD = "correct horse 17"
MECHANISM = "01：创建工作机制"
PHOTO = f"{MECHANISM}/01：2025年专题会议照片.jpg"
MINUTES = f"{MECHANISM}/02：2025年班子会议纪要.docx"


def photo(path: Path, colour: tuple[int, int, int]) -> bytes:
    """A JPEG that looks like a picture of something: a room, a table, a banner."""
    from PIL import ImageDraw

    im = Image.new("RGB", (800, 600), (226, 232, 240))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 380, 800, 600), fill=(160, 130, 100))  # the floor
    draw.rectangle((120, 60, 680, 150), fill=colour)  # the banner
    draw.rectangle((200, 300, 600, 420), fill=(110, 80, 60))  # the table
    for x in range(230, 600, 90):  # people at the table
        draw.ellipse((x, 220, x + 50, 270), fill=(60, 60, 70))
        draw.rectangle((x - 5, 270, x + 55, 330), fill=(40, 60, 110))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def docx(path: Path, body: str, footer: str) -> None:
    document = Document()
    document.add_paragraph(body)
    document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(path))


def make_root(base: Path) -> Path:
    """``root/甲单位`` and ``root/乙单位``, archives of RUBRIC with a captioned photo and
    the minutes of a meeting each; plus a folder that is no archive."""
    rubric = base / "rubric.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    root = base / "root"
    for name, colour in (("甲单位", (200, 40, 40)), ("乙单位", (40, 40, 200))):
        archive = root / name
        archive.mkdir(parents=True)
        assert run("init", archive, "--rubric", rubric, "--no-notes").exit_code == 0
        photo(archive / PHOTO, colour)
        (archive / PHOTO).with_suffix(".txt").write_text(
            f"事由：{name}创建工作专题会议；时间：2025年3月5日；地点：三楼会议室；人物：班子成员",
            encoding="utf-8")
        docx(archive / MINUTES, f"{name}班子会议纪要正文", f"02：2025年班子会议纪要（{name}）")
    (root / "通知文件").mkdir()
    return root


def add_user(data: Path, name: str, role: str, *units: str) -> None:
    args: list[Any] = ["serve", "user", "add", name, "--role", role, "--data", data,
                       "--password-stdin"]
    for unit in units:
        args += ["--unit", unit]
    result = run_with_input(PASSWORD + "\n", *args)
    assert result.exit_code == 0, result.output


def run_with_input(text: str, *args: object) -> Result:
    """The CLI with ``text`` on its standard input."""
    argv = [str(a) for a in args]
    messages.set_lang(messages.detect(argv, {}))
    return CliRunner().invoke(build_app(), argv, input=text, prog_name="cwa")


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def login(client: Any, name: str, password: str = PASSWORD) -> Any:
    form = client.get("/login")
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf": csrf(form.text), "next": "/"})
