"""Issued reports: the register of annual and term reports issued as documents, their PDFs."""
