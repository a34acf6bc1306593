"""Insights read from the store: people, one workshop, evidence, the period report, equity, the kept analyses."""
