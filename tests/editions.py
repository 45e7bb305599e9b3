"""Two editions of a 测评体系, for diff and migrate: indicator names from DOMAIN.md (鄂州's
组织管理 / 创建规划 / 机制建设, the national 项目 学雷锋活动, 道德经典诵读, 志愿服务活动,
文明风尚传播). The new edition renames one indicator (close wording), moves one under
another parent, renumbers one, drops one, adds one, changes points and evidence."""

from __future__ import annotations

OLD = """\
rubric: 文明单位测评体系
edition: "2019"
years: {from: 2019, to: 2021}
vetoes:
  - {code: "1", text: 领导班子成员发生严重违纪和违法}
  - {code: "2", text: 员工发生刑事案件}
indicators:
  - code: "1"
    name: 组织管理
    points: 4
    children:
      - code: "1.1"
        name: 创建规划
        points: 1
        evidence:
          - {title: 年度计划或实施方案, kinds: [text], per_year: true, match: [计划, 方案]}
      - code: "1.2"
        name: 机制建设
        points: 3
        evidence:
          - {title: 创建工作领导小组的通知, kinds: [text], match: [领导小组]}
  - code: "2"
    name: 学雷锋活动
    points: 14
  - code: "3"
    name: 道德经典诵读
  - code: "4"
    name: 志愿服务活动
"""

NEW = """\
rubric: 文明单位测评体系
edition: "2022"
years: {from: 2022, to: 2024}
vetoes:
  - {code: "1", text: 领导班子成员发生严重违纪和违法}
indicators:
  - code: "1"
    name: 组织管理
    points: 6
    children:
      - code: "1.1"
        name: 创建工作规划
        points: 1
        evidence:
          - {title: 年度计划或实施方案, kinds: [text], per_year: true, match: [计划, 方案]}
      - code: "1.2"
        name: 机制建设
        points: 3
        evidence:
          - {title: 创建工作领导小组的通知, kinds: [text], match: [领导小组]}
          - {title: 年度工作目标责任书, kinds: [text], per_year: true, match: [责任书]}
      - code: "1.3"
        name: 学雷锋活动
        points: 2
  - code: "2"
    name: 志愿服务活动
  - code: "5"
    name: 文明风尚传播
"""
