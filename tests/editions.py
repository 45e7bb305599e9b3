"""Two editions of a 测评体系, for diff and migrate (``examples/editions``): indicator names
from DOMAIN.md (鄂州's 组织管理 / 创建规划 / 机制建设, the national 项目 学雷锋活动,
道德经典诵读, 志愿服务活动, 文明风尚传播). The new edition renames one indicator (close
wording), moves one under another parent, renumbers one, drops one, adds one, changes
points and evidence."""

from __future__ import annotations

from tests.conftest import ROOT

EDITIONS = ROOT / "examples" / "editions"
OLD = (EDITIONS / "2019版.yaml").read_text(encoding="utf-8")
NEW = (EDITIONS / "2022版.yaml").read_text(encoding="utf-8")
