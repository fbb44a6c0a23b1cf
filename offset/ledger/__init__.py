"""The double-entry, append-only, hash-chained journal of every economic and carbon fact."""

# The modules other code may import; changing the list is a decision
# (tests/unit/test_public_surface.py pins it).
__all__ = [
    "accounts",
    "as_of",
    "chain",
    "errors",
    "model",
    "ports",
    "services",
    "trial_balance",
]
