"""Auditors' reports: a builder reads the ledger into frozen data, renderers draw it as a
PDF document and as an XLSX workbook of the same data.

    from reports import build_annual, build_term, render_pdf, render_xlsx
"""

from reports.builder import build_annual, build_term
from reports.data import ReportData, ReportIssue
from reports.forest import certification as certification_section
from reports.forest import thinning_log as thinning_log_section
from reports.glossary import ACTIVITIES, STATUSES
from reports.national import national_filename, render_national_pdf, render_national_xlsx
from reports.party import party_filename, render_party_pdf, render_party_xlsx
from reports.reading import read as read_snapshot
from reports.render import render_pdf
from reports.urban import account_words
from reports.workbook import MEDIA_TYPE as XLSX_MEDIA_TYPE
from reports.workbook import render_xlsx, xlsx_filename

# The web interface shows the reports' own readings and words: a page and a report of the same
# agreement-year say the same thing in the same terms.
__all__ = ["ACTIVITIES", "STATUSES", "XLSX_MEDIA_TYPE", "ReportData", "ReportIssue",
           "account_words", "build_annual", "build_term", "certification_section",
           "national_filename", "party_filename", "read_snapshot", "render_national_pdf",
           "render_national_xlsx", "render_party_pdf", "render_party_xlsx", "render_pdf",
           "render_xlsx", "thinning_log_section", "xlsx_filename"]
