"""Users, their roles and bearer tokens, and who may see and do what."""
