"""The `offset` command line: administration and operation over the same use cases as the API."""
