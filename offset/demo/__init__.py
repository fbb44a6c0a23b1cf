"""The Shinjuku–Ina reference case as demo data, and the builder that records it."""
