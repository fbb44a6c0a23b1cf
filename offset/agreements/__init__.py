"""Parties (municipalities) and the agreements between them."""
