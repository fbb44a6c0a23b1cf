"""Closing fiscal years: their states, what blocks a close, and the close itself."""
