"""offset: the system of record for municipal carbon-offset agreements.

The package is split by context (ledger, agreements, access, forestry, money, emissions,
netting, closing, documents), each holding its domain, errors and use cases, with the
entrypoints (api, cli) and the persistence adapter (db) beside them. `__all__` names what
other code may import; a test pins it (tests/unit/test_public_surface.py), so that changing
it is a visible decision.
"""

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # Contexts: domain, errors and use cases.
    "access",
    "agreements",
    "closing",
    "council",
    "documents",
    "emissions",
    "forestry",
    "ledger",
    "money",
    "netting",
    # Shared domain modules.
    "collector",
    "corrections",
    "errors",
    "fiscal",
    "integrity",
    "numbers",
    "ports",
    "quantities",
    "reference_data",
    "settings",
    "text",
    "units",
    # Entrypoints, persistence, exports and the demo case.
    "api",
    "cli",
    "db",
    "demo",
    "exports",
    "runtime",
    "web",
]
