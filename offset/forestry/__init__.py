"""The forest side: stands, thinning work, absorption estimates and certifications."""
