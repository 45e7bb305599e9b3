"""``cwa rubric import``: a 测评体系 published as a Word, Excel or CSV table → a rubric YAML.

The path a table takes, one module per idea:

- ``word``, ``excel``, ``csvfile``: read the tables of a file into ``grid.Grid`` (cells
  with their merges: Word's vMerge/gridSpan, Excel's merged ranges);
- ``headers``: which column holds what (测评项目, 测评标准, 分值…), the header row, repeated
  header rows of a table split across pages;
- ``tree``: rows → indicators, nested by merged cells and numbering (``numbering``), with
  each cell given to the indicator or clause it spans;
- ``points``, ``clauses``, ``departments``, ``methods``, ``materials``: what the text of a
  cell says (``（4分）``, ``1) … 2) …``, ``【提供材料部门：党办】``, ``1)、2)材料审核``,
  ``提供2次…（每次3张）``);
- ``draft``: the result, each value with the cell it came from and what was inferred;
- ``yamlout``: the draft as YAML a person can read and edit, with comments;
- ``pipeline``: the whole path, for the command.
"""
