"""Buildings, units and residents of one estate to and from an .xlsx workbook.

- columns: the file format, i.e. sheet names, column headers, text columns;
- exporting: the blank template and the export;
- importing: the all-or-nothing import, its write and its progress;
- reading: the uploaded file to rows, or the errors that stop the import before any row is checked;
- checking: what a row must satisfy against the estate and the rest of the file;
- cells: one cell to one value (codes, numbers, choices, phones, ID numbers, dates, 是/否).
"""

from guanjia.estates.spreadsheets.columns import (
    BUILDING_COLUMNS,
    RESIDENT_COLUMNS,
    SHEET_BUILDINGS,
    SHEET_RESIDENTS,
    SHEET_UNITS,
    UNIT_COLUMNS,
    XLSX_CONTENT_TYPE,
)
from guanjia.estates.spreadsheets.exporting import estate_export, workbook_template
from guanjia.estates.spreadsheets.importing import estate_import
from guanjia.estates.spreadsheets.reading import RowError

__all__ = [
    "BUILDING_COLUMNS",
    "RESIDENT_COLUMNS",
    "SHEET_BUILDINGS",
    "SHEET_RESIDENTS",
    "SHEET_UNITS",
    "UNIT_COLUMNS",
    "XLSX_CONTENT_TYPE",
    "RowError",
    "estate_export",
    "estate_import",
    "workbook_template",
]
