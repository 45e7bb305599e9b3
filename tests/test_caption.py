"""The caption parser: the forms people write captions in, and text that is no caption."""

from __future__ import annotations

import pytest

from cwa import caption


@pytest.mark.parametrize(("text", "fields"), [
    ("事由：学雷锋志愿服务；时间：2025年3月5日；地点：城东社区；人物：青年志愿者；背景：＿＿＿＿；摄影：李四",
     {"事由": "学雷锋志愿服务", "时间": "2025年3月5日", "地点": "城东社区", "人物": "青年志愿者",
      "摄影者": "李四"}),
    ("主题: 义务植树\n日期: 2025-03-12\n拍摄地点: 城东林地\n参加人员: 全体党员\n作者: 王五",
     {"事由": "义务植树", "时间": "2025-03-12", "地点": "城东林地", "人物": "全体党员", "摄影者": "王五"}),
    ("2025年3月5日，局青年志愿者在城东社区开展学雷锋志愿服务。（李四 摄）",
     {"事由": "局青年志愿者在城东社区开展学雷锋志愿服务", "时间": "2025年3月5日", "地点": "城东社区",
      "人物": "局青年志愿者", "摄影者": "李四"}),
    ("学雷锋志愿服务 地点：城东社区 人物：张三等10人",
     {"事由": "学雷锋志愿服务", "地点": "城东社区", "人物": "张三等10人"}),
    ("2025年3月12日植树节 城东林地", {"事由": "植树节 城东林地", "时间": "2025年3月12日",
                                "地点": "城东林地"}),
])
def test_labelled_fields_and_free_sentences(text: str, fields: dict[str, str]) -> None:
    read = caption.read(text)
    assert read.problem is None
    assert read.fields == fields


@pytest.mark.parametrize(("text", "problem"), [
    ("x", "short"), ("。", "short"), ("", "none"), ("IMG_2025", "camera"),
    ("DSC_0012.JPG", "camera"), ("微信图片_20250312101010", "camera"), ("20250312_101010", "camera"),
    ("å­¦é›·é”‹æ´»åŠ¨", "mojibake"), ("学雷锋志愿服务活动".encode().decode("gbk", "replace"), "mojibake"),
    ("2024?3?5??????", "mojibake"), ("锟斤拷锟斤拷", "mojibake"),
])
def test_non_captions(text: str, problem: str) -> None:
    assert caption.read(text).problem == problem


@pytest.mark.parametrize("text", ["召开党风廉政建设工作会议", "深入学习贯彻党的二十大精神专题会议",
                                  "局机关干部职工30余人在城东林地参加义务植树活动",
                                  "Tree planting at Chengdong"])
def test_real_chinese_is_not_taken_for_mojibake(text: str) -> None:
    assert caption.read(text).problem is None


def test_the_photo_fills_time_and_photographer_the_text_leaves_out() -> None:
    read = caption.read("局机关干部职工在城东林地植树", taken="2025:03:12 10:00:00", artist="王五")
    assert read.fields["时间"] == "2025年3月12日"
    assert read.fields["摄影者"] == "王五"
    assert read.from_photo == {"时间", "摄影者"}
    assert read.lacking() == []
    written = caption.read("2024年3月5日 植树", taken="2025:03:12 10:00:00")
    assert written.fields["时间"] == "2024年3月5日"  # the text wins over EXIF


def test_each_field_once_and_blanks_are_not_values() -> None:
    read = caption.read("事由：植树；事由：又一次；地点：＿＿＿＿；人物：无")
    assert read.fields == {"事由": "植树"}
    assert read.lacking(("事由", "地点")) == ["地点"]
