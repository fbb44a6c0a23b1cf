"""offset: the system of record for municipal carbon-offset agreements."""

__version__ = "0.1.0"
