"""cwa check --deep on real files: the corpus, files made with python-docx, Pillow and
pypdf, and hand-made damage. Every file gives the finding a person would expect."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import struct
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cwa.probes import probe
from cwa.workers import Task
from cwa.workers import run as run_workers
from tests.conftest import listing, make_docx, make_jpeg, run

CORPUS = Path(__file__).parent / "corpus"
RUBRIC = """\
rubric: 深度测试
years: {from: 2023, to: 2025}
indicators:
  - code: "1"
    name: 活动
    children:
      - code: "1.1"
        name: 活动照片
        evidence:
          - {title: 活动照片, kinds: [image], caption: required}
      - code: "1.2"
        name: 说明报告
        evidence:
          - {title: 说明报告, kinds: [text], max_chars: 20}
      - code: "1.3"
        name: 年度总结
        evidence:
          - {title: 年度总结, kinds: [text], per_year: true}
      - code: "1.4"
        name: 其他材料
"""
PHOTOS, REPORT, SUMMARY, OTHER = ("01：活动/01：活动照片", "01：活动/02：说明报告",
                                  "01：活动/03：年度总结", "01：活动/04：其他材料")
CONTENT = ("CT", "PH", "DU", "WD", "YR003")


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "rubric.yaml").write_text(RUBRIC, encoding="utf-8")
    root = tmp_path / "a"
    assert run("init", root, "--rubric", tmp_path / "rubric.yaml", "--no-notes").exit_code == 0
    shutil.rmtree(root / ".cwa")
    return root


def deep(root: Path, *args: str) -> dict[str, Any]:
    result = run("check", root, "--deep", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def content(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["code"], f["path"].rsplit("/", 1)[-1]) for f in data["findings"]
            if f["code"].startswith(CONTENT)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken.png", {"CT001"}),
        ("broken_data_stream.png", {"CT001"}),
        ("truncated_end_chunk.png", {"CT001"}),
        ("truncated_app14.jpg", {"CT001"}),
        ("crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif", {"CT001"}),
        ("decompression_bomb.gif", {"CT004"}),
        ("iptc.jpg", set()),  # healthy, 640 px: nothing to say
        ("exif-72dpi-int.jpg", {"PH002"}),  # healthy files that are too small to be useful
        ("exif_gps.jpg", {"PH002"}),
        ("hopper.jpg", {"PH002"}),
        ("hopper.png", {"PH002"}),
        ("hopper.tif", {"PH002"}),
        ("hopper.webp", {"PH002"}),
        ("hopper_orientation_6.jpg", {"PH002"}),
        ("hopper_bad_exif.jpg", {"PH002"}),  # damaged EXIF is not a damaged image
        ("invalid-exif.jpg", {"PH002"}),
        ("default.docx", {"CT006", "WD001"}),  # python-docx's empty template
        ("doc-coreprops.docx", {"CT006", "WD001"}),
        ("doc-no-coreprops.docx", {"CT006", "WD001"}),
        ("doc-odd-even-hdrs.docx", {"WD001"}),  # healthy, but without its name in a footer
        ("having-images.docx", {"WD001"}),
        ("hdr-header-footer.docx", {"WD001"}),
        ("sct-first-page-hdrftr.docx", {"WD001"}),
        ("test.docx", {"WD001"}),
    ],
)
def test_corpus_file(archive: Path, name: str, expected: set[str]) -> None:
    source = next(CORPUS.rglob(name))
    target = archive / OTHER / f"01：材料{source.suffix}"
    shutil.copyfile(source, target)
    data = deep(archive)
    assert {code for code, _ in content(data)} == expected


def test_corpus_damage_is_explained(archive: Path) -> None:
    for i, name in enumerate(["truncated_app14.jpg", "broken_data_stream.png",
                              "decompression_bomb.gif"], start=1):
        shutil.copyfile(CORPUS / "images" / name, archive / OTHER / f"0{i}：材料{name[-4:]}")
    messages = {f["path"].rsplit("/", 1)[-1]: f["message"] for f in deep(archive)["findings"]
                if f["code"].startswith("CT")}
    assert messages == {
        "01：材料.jpg": "无法打开：JPEG 结构损坏（第 21834 字节处的段不完整）",
        "02：材料.png": "无法打开：SyntaxError: broken PNG file (bad header checksum in b'IDAT')",
        "03：材料.gif": "图片声称的像素数过大，可能是“解压炸弹”，未打开",
    }


def test_broken_files_do_not_count_as_evidence(archive: Path) -> None:
    shutil.copyfile(CORPUS / "images" / "broken.png", archive / PHOTOS / "01：活动照片.png")
    metadata = json.loads(run("check", archive, "--format", "json").stdout)
    assert metadata["indicators"][0]["children"][0]["evidence"][0]["found"] == 1
    data = deep(archive)
    leaf = data["indicators"][0]["children"][0]
    assert leaf["evidence"][0]["found"] == 0
    assert leaf["status"] == "missing"


def test_made_files(archive: Path) -> None:
    from docx import Document
    from PIL import Image

    other = archive / OTHER
    document = Document()
    document.add_paragraph("正文")
    document.sections[0].footer.paragraphs[0].text = "01：有页脚名称"
    document.save(str(other / "01：有页脚名称.docx"))
    make_docx(other / "02：没有页脚名称.docx")
    Image.new("RGB", (800, 600), "white").save(other / "03：其实是PNG.jpg", "PNG")
    (other / "04：其实是旧版文档.docx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (other / "05：加密文档.docx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
        + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100)
    (other / "06：其实是程序.docx").write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    whole = (other / "01：有页脚名称.docx").read_bytes()
    (other / "07：截断的文档.docx").write_bytes(whole[: len(whole) // 2])
    data = deep(archive)
    assert content(data) == {
        ("WD001", "02：没有页脚名称.docx"),
        ("CT002", "03：其实是PNG.jpg"),
        ("CT002", "04：其实是旧版文档.docx"),
        ("CT001", "04：其实是旧版文档.docx"),
        ("CT003", "05：加密文档.docx"),
        ("CT007", "06：其实是程序.docx"),
        ("CT001", "07：截断的文档.docx"),
    }
    mismatch = next(f for f in data["findings"] if f["path"].endswith("03：其实是PNG.jpg"))
    assert mismatch["message"] == "内容实为 PNG 格式，与扩展名 .jpg 不符"


def test_pdfs(archive: Path) -> None:
    from pypdf import PdfWriter

    other = archive / OTHER
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(str(other / "01：正常.pdf"))
    locked = PdfWriter()
    locked.add_blank_page(595, 842)
    locked.encrypt("密码123")
    locked.write(str(other / "02：加密.pdf"))
    PdfWriter().write(str(other / "03：没有页.pdf"))
    whole = (other / "01：正常.pdf").read_bytes()
    (other / "04：截断.pdf").write_bytes(whole[: len(whole) - 40])
    assert content(deep(archive)) == {("CT003", "02：加密.pdf"), ("CT006", "03：没有页.pdf"),
                                      ("CT001", "04：截断.pdf")}


def _mp4(boxes: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(struct.pack(">I", 8 + len(body)) + kind + body for kind, body in boxes)


def test_media_structure(archive: Path) -> None:
    other = archive / OTHER
    healthy = _mp4([(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41"), (b"mdat", b"\x00" * 4000)])
    (other / "01：录像.mp4").write_bytes(healthy)
    (other / "02：截断的录像.mp4").write_bytes(healthy[:2000])
    body = b"WAVEfmt " + b"\x00" * 4020
    wav = b"RIFF" + struct.pack("<I", len(body)) + body
    (other / "03：录音.wav").write_bytes(wav)
    (other / "04：截断的录音.wav").write_bytes(wav[:2000])
    (other / "05：太小.mp3").write_bytes(b"ID3" + b"\x00" * 100)
    assert content(deep(archive)) == {("CT001", "02：截断的录像.mp4"),
                                      ("CT001", "04：截断的录音.wav"), ("CT001", "05：太小.mp3")}


def test_captions_from_exif_iptc_or_a_sidecar(archive: Path) -> None:
    from PIL import Image

    photos = archive / PHOTOS
    exif = Image.Exif()
    exif[0x010E] = "2024年3月5日，局青年志愿者在城东社区开展学雷锋志愿服务".encode()  # as phones do
    Image.new("RGB", (1024, 768), "green").save(photos / "01：活动照片.jpg", exif=exif)
    lost = Image.Exif()
    lost[0x010E] = "2024年3月5日，学雷锋"  # Pillow writes ASCII: every 汉字 becomes "?"
    Image.new("RGB", (1024, 768), "blue").save(photos / "08：活动照片.jpg", exif=lost)
    make_jpeg(photos / "02：活动照片.jpg", (1024, 768))
    (photos / "02：活动照片.txt").write_text("2024年3月5日 志愿服务", encoding="utf-8")
    make_jpeg(photos / "03：活动照片.jpg", (1024, 700))
    camera = Image.Exif()
    camera[0x9C9C] = "IMG_2025".encode("utf-16-le")
    Image.new("RGB", (1024, 768), "red").save(photos / "04：活动照片.jpg", exif=camera)
    make_jpeg(photos / "05：活动照片.jpg", (1024, 768))
    (photos / "05：活动照片.txt").write_text("x", encoding="utf-8")
    make_jpeg(photos / "06：活动照片.jpg", (1024, 768))  # UTF-8 saved, read back as GBK
    (photos / "06：活动照片.txt").write_text(
        "学雷锋志愿服务活动".encode().decode("gbk", "replace"), encoding="utf-8")
    make_jpeg(photos / "07：活动照片.jpg", (1024, 768))
    (photos / "07：活动照片.txt").write_text(
        "事由：学雷锋；时间：2024年3月5日；地点：城东社区；人物：团员青年", encoding="gb18030")
    data = deep(archive)
    found = {(f["code"], f["path"].rsplit("/", 1)[-1]): f for f in data["findings"]
             if f["code"].startswith("PH")}
    assert set(found) == {("PH003", "02：活动照片.jpg"), ("PH001", "03：活动照片.jpg"),
                          ("PH003", "04：活动照片.jpg"), ("PH003", "05：活动照片.jpg"),
                          ("PH003", "06：活动照片.jpg"), ("PH003", "08：活动照片.jpg")}
    assert found["PH003", "02：活动照片.jpg"]["message"] == "图片说明“2024年3月5日 志愿服务”缺少地点、人物"
    assert found["PH003", "02：活动照片.jpg"]["data"]["missing"] == ["地点", "人物"]
    assert found["PH003", "04：活动照片.jpg"]["data"]["problem"] == "camera"
    assert found["PH003", "05：活动照片.jpg"]["data"]["problem"] == "short"
    assert found["PH003", "06：活动照片.jpg"]["data"]["problem"] == "mojibake"
    assert found["PH003", "08：活动照片.jpg"]["message"] == \
        "图片说明“2024?3?5?????”是乱码（编码错误），无法阅读"
    leaf = data["indicators"][0]["children"][0]
    assert leaf["evidence"][0]["found"] == 8  # a .txt is a caption, not a document
    assert not [f for f in data["findings"] if f["code"].startswith("NM")]


def test_the_rubric_says_which_caption_elements_are_required(archive: Path,
                                                             tmp_path: Path) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC.replace("caption: required", "caption: [事由, 作者]"),
                      encoding="utf-8")
    photos = archive / PHOTOS
    make_jpeg(photos / "01：活动照片.jpg", (1024, 768))
    (photos / "01：活动照片.txt").write_text("植树活动（王五 摄）", encoding="utf-8")
    make_jpeg(photos / "02：活动照片.jpg", (1024, 700))
    (photos / "02：活动照片.txt").write_text("2024年3月5日 植树活动", encoding="utf-8")
    data = deep(archive, "--rubric", str(rubric))
    (ph,) = [f for f in data["findings"] if f["code"].startswith("PH")]
    assert (ph["path"].rsplit("/", 1)[-1], ph["data"]["missing"]) == ("02：活动照片.jpg",
                                                                      ["摄影者"])
    rubric.write_text(RUBRIC.replace("caption: required", "caption: [事由, 天气]"),
                      encoding="utf-8")
    bad = run("rubric", "validate", rubric)
    assert bad.exit_code == 2
    assert "图片说明要素“天气”无效" in bad.output


def test_length_limit(archive: Path) -> None:
    make_docx(archive / REPORT / "01：说明报告.docx", "很长的说明报告" * 5)
    data = deep(archive)
    (wd,) = [f for f in data["findings"] if f["code"] == "WD002"]
    assert wd["message"] == "“说明报告”正文 35 字，超过 20 字的要求"


def test_years_from_content(archive: Path) -> None:
    from docx import Document

    summary = archive / SUMMARY
    for year in (2023, 2024):
        document = Document()
        document.add_paragraph("总结")
        document.core_properties.created = __import__("datetime").datetime(year, 12, 20)
        document.save(str(summary / f"0{year - 2022}：年度总结.docx"))
    from pypdf import PdfWriter

    undated = PdfWriter()  # a PDF without a creation date: only its modification time
    undated.add_blank_page(595, 842)
    undated.write(str(summary / "03：年度总结.pdf"))
    os.utime(summary / "03：年度总结.pdf", (time.mktime((2025, 6, 1, 0, 0, 0, 0, 0, -1)),) * 2)
    metadata = json.loads(run("check", archive, "--format", "json").stdout)
    assert metadata["indicators"][0]["children"][2]["evidence"][0]["missing_years"] == [
        2023, 2024, 2025]
    data = deep(archive)
    item = data["indicators"][0]["children"][2]["evidence"][0]
    assert item["by_year"] == {"2023": 1, "2024": 1, "2025": 1}
    assert item["missing_years"] == []
    (weak,) = [f for f in data["findings"] if f["code"] == "YR003"]
    assert weak["message"] == "年度 2025 仅依据文件修改时间推断"


def test_duplicates(archive: Path) -> None:
    from PIL import Image, ImageDraw

    def picture(path: Path, seed: int, shift: int = 0) -> None:
        image = Image.new("RGB", (1024, 768), "white")
        draw = ImageDraw.Draw(image)
        for i in range(8):
            x = (seed * 97 + i * 131) % 900 + shift
            draw.rectangle((x, i * 90, x + 120, i * 90 + 80), fill=(i * 30, seed * 40, 90))
        image.save(path, "JPEG", quality=90)

    picture(archive / PHOTOS / "01：活动照片.jpg", 1)
    picture(archive / PHOTOS / "02：活动照片.jpg", 1, shift=2)  # the same scene again
    picture(archive / PHOTOS / "03：活动照片.jpg", 2)
    shutil.copyfile(archive / PHOTOS / "03：活动照片.jpg", archive / OTHER / "01：照片.jpg")
    data = deep(archive)
    found = {(f["code"], f["path"]): f["message"] for f in data["findings"]
             if f["code"].startswith("DU")}
    assert found == {  # each group once, at its first file
        ("DU002", f"{PHOTOS}/01：活动照片.jpg"): f"与另外 1 张照片几乎相同（同一场景只归档一张）：{PHOTOS}/02：活动照片.jpg",
        ("DU001", f"{PHOTOS}/03：活动照片.jpg"): f"与另外 1 个文件内容完全相同：{OTHER}/01：照片.jpg",
    }


def test_cache_opens_only_what_changed(archive: Path, tmp_path: Path) -> None:
    for i in range(1, 4):
        make_docx(archive / OTHER / f"0{i}：材料.docx", f"内容{i}")
    before = listing(archive)
    assert deep(archive)["summary"]["deep"] == {"opened": 3, "from_cache": 0}
    assert deep(archive)["summary"]["deep"] == {"opened": 0, "from_cache": 3}
    assert listing(archive) == before  # nothing written into the archive, cache included
    assert (tmp_path / "cache" / "probes.sqlite3").is_file()
    make_docx(archive / OTHER / "02：材料.docx", "改过的内容")
    os.utime(archive / OTHER / "02：材料.docx", (1, 1))
    assert deep(archive)["summary"]["deep"] == {"opened": 1, "from_cache": 2}
    assert deep(archive, "--no-cache")["summary"]["deep"] == {"opened": 3, "from_cache": 0}


def test_a_file_written_over_with_its_size_and_time_put_back_is_opened_again(
        archive: Path) -> None:
    """Size and modification time are the same, the content is not: the change time
    (which no program can set back) tells the cache."""
    photo = make_jpeg(archive / PHOTOS / "01：活动照片.jpg")
    assert not {code for code, _ in content(deep(archive))} & {"CT001"}
    stat = photo.stat()
    photo.write_bytes(b"\0" * stat.st_size)  # the same size, nothing a photo holds
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert photo.stat().st_mtime_ns == stat.st_mtime_ns
    data = deep(archive)
    assert ("CT001", "01：活动照片.jpg") in content(data)
    assert data["summary"]["deep"]["opened"] >= 1


def test_names_that_are_not_utf8_are_opened_and_cached(archive: Path) -> None:
    """A file whose name is GBK bytes (an unzipped Chinese Windows zip) is probed, its
    result cached under its name's bytes, and found in the cache next time."""
    if sys.platform != "linux":
        pytest.skip("names of any bytes: Linux")
    name = os.fsdecode(b"01\xa3\xba\xb9\xa4\xd7\xf7.docx")  # 01：工作.docx in GBK
    make_docx(archive / OTHER / name, "正文")
    first = run("check", archive, "--deep", "--format", "json")
    assert first.exit_code == 1, first.output
    second = deep(archive)
    assert second["summary"]["deep"]["opened"] == 0
    assert any(f["code"] == "WN004" for f in second["findings"])


def test_the_example_reports_its_planted_problems(example: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CWA_CACHE_DIR", str(tmp_path / "cache"))
    data = deep(example)
    assert content(data) == {
        ("CT001", "01：党风廉政建设责任制度.docx"),
        ("CT001", "05：表彰大会照片.jpg"),
        ("DU001", "01：创建领导小组文件.docx"),  # each group once, at its first file
        ("DU002", "01：2025年植树活动照片.jpg"),
        ("PH001", "02：志愿服务活动照片.jpg"),
        ("PH003", "01：2025年植树活动照片.jpg"),  # "2025年3月12日植树节 城东林地": no 人物
        ("PH003", "04：2025年植树活动照片（二）.jpg"),
        ("WD001", "02：军民共建活动情况反映.docx"),
    }


# -- hostile files: the pool survives them ------------------------------------------------

needs_fork = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="the patched probe reaches workers only by fork")


def _hostile(path: str, ext: str, title: str, want_hash: bool) -> dict[str, Any]:
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(60)
    if name.startswith("crash"):
        os._exit(3)  # as a segfault in a C library would end the worker
    return probe(path, ext, title, want_hash)


@needs_fork
def test_a_hanging_or_crashing_file_becomes_a_finding(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cwa.probes.probe", _hostile)
    names = ["hang.jpg", "crash.jpg", "a.jpg", "b.jpg", "c.jpg"]
    for name in names:
        make_jpeg(tmp_path / name, (700, 700))
    tasks = [Task(n, str(tmp_path / n), ".jpg", n, False, 1) for n in names]
    results: dict[str, Any] = {}
    start = time.monotonic()
    run_workers(tasks, 2, lambda task, result: results.__setitem__(task.key, result),
                time_limit=1.5)
    assert time.monotonic() - start < 10
    assert results["hang.jpg"]["issues"] == [["CT005", {"why": "timeout", "seconds": 1}]]
    assert results["crash.jpg"]["issues"] == [["CT005", {"why": "crash"}]]
    assert [results[n]["issues"] for n in ("a.jpg", "b.jpg", "c.jpg")] == [[], [], []]


def _state(path: str, ext: str, title: str, want_hash: bool) -> dict[str, Any]:
    import gc

    room = bytearray(300 << 20)  # a large image's worth of memory must be allowed
    return {"issues": [], "gc": gc.isenabled(), "room": len(room)}


@needs_fork
def test_workers_collect_garbage_and_have_room(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.setattr("cwa.probes.probe", _state)
    results: dict[str, Any] = {}
    gc.disable()  # as cwa check does while it works
    try:
        run_workers([Task(str(i), "x", ".jpg", "", False, 1) for i in range(4)], 2,
                    lambda task, result: results.__setitem__(task.key, result))
    finally:
        gc.enable()
    assert all(r.get("gc") is True and r.get("room") == 300 << 20 for r in results.values()), \
        results
