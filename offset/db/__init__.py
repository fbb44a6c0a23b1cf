"""Persistence: tables, engines, the unit of work and the repositories behind it."""
