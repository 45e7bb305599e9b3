"""Build the example 测评体系 tables of the README (``cwa rubric import``) from the real
rows the tests use (``tests/tables.py``): 鄂州's 考评细则 as Word, the 标兵 template as Excel.

Run from the repository: ``python examples/make_tables.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests import tables  # noqa: E402

FIXED = dt.datetime(2025, 6, 30, 9, 0, 0)


def main() -> None:
    from docx import Document
    from openpyxl import load_workbook

    target = HERE / "tables"
    word = tables.write_docx(target / "鄂州考评细则.docx", [tables.ezhou(), tables.UNRELATED],
                             title="鄂州市2017—2018年度市级文明单位考评细则",
                             between="联系方式")
    document = Document(str(word))
    document.core_properties.created = document.core_properties.modified = FIXED
    document.core_properties.author = "cwa"
    document.save(str(word))
    excel = tables.write_xlsx(target / "标兵测评体系.xlsx", [("细则", tables.city())],
                              title="市级文明单位（标兵）测评体系参考模板")
    book = load_workbook(excel)
    book.properties.created = book.properties.modified = FIXED
    book.save(excel)
    print(word, excel, sep="\n")


if __name__ == "__main__":
    main()
