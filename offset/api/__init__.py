"""The HTTP API: FastAPI routes over the same services the CLI uses (see app.create_app)."""
