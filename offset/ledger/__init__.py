"""The double-entry, append-only, hash-chained journal of every economic and carbon fact."""
