"""The offset position of an agreement: emissions against retired credits, and what it cost."""
