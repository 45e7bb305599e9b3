"""文号: the number a formal document (正式文件, 红头文件) carries on its first page —
``鄂文明办〔2024〕12号``: the issuer's short name, the year in brackets, the number."""

from __future__ import annotations

import re

#: Issuer (1–12 characters), year in any of the brackets used, number, 号.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d{1,5}\s*号")
#: How much of a document's first text is searched: the 文号 stands above the title, on
#: the first page (a 公文 page holds 22 lines of 28 characters).
HEAD = 1000


_SPACES = re.compile(r"[ \t\u3000\u00a0]+")  # spaces inside a line (清 税 发 [2024] 3 号)


def find(text: str) -> str:
    """The 文号 in the first ``HEAD`` characters of ``text``, spaces removed; "" if none."""
    found = DOC_NUMBER.search(_SPACES.sub("", text[:HEAD]))
    return found.group(0) if found else ""
