"""cwa — organise and check 文明单位 creation archives (电子化档案)."""

__version__ = "0.1.0"
