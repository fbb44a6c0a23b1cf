"""Auditors' reports: a builder reads the ledger into frozen data, renderers draw it as a
PDF document and as an XLSX workbook of the same data.

    from reports import build_annual, build_term, render_pdf, render_xlsx
"""

from reports.builder import build_annual, build_term
from reports.data import ReportData, ReportIssue
from reports.render import render_pdf
from reports.workbook import MEDIA_TYPE as XLSX_MEDIA_TYPE
from reports.workbook import render_xlsx, xlsx_filename

__all__ = ["XLSX_MEDIA_TYPE", "ReportData", "ReportIssue", "build_annual", "build_term",
           "render_pdf", "render_xlsx", "xlsx_filename"]
