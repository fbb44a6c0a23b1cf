"""Exports of an agreement's journal: CSV, XLSX and beancount text, as pure functions."""
