"""The forest side: stands, thinning work, absorption estimates and certifications."""

# The modules other code may import; changing the list is a decision
# (tests/unit/test_public_surface.py pins it).
__all__ = [
    "absorption",
    "carbon",
    "certification",
    "coverage",
    "errors",
    "estimates",
    "imports",
    "model",
    "parameters",
    "ports",
    "reference",
    "sheets",
    "stands",
    "thinnings",
]
