"""Contract tests: the running API against its own OpenAPI document."""
