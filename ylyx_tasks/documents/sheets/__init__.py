"""Spreadsheets the office hands out: ``write_xlsx`` (printable .xlsx) and ``write_csv`` (CSV for Excel)."""

from __future__ import annotations

from ylyx_tasks.documents.sheets.csvfile import csv_field, write_csv
from ylyx_tasks.documents.sheets.xlsx import write_xlsx

__all__ = ["csv_field", "write_csv", "write_xlsx"]
