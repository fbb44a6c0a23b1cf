"""The urban side's carbon: emissions from activity data, retirement of credits, netting."""
