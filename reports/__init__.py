"""Auditors' PDF reports: a builder reads the ledger into frozen data, a renderer draws it.

    from reports import build_annual, build_term, render_pdf
"""

from reports.builder import build_annual, build_term
from reports.data import ReportData, ReportIssue
from reports.render import render_pdf

__all__ = ["ReportData", "ReportIssue", "build_annual", "build_term", "render_pdf"]
