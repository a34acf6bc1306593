"""Insights read from the store: people (who may be named), loading (rows into the engine's
batch), one workshop's dashboard, the evidence behind someone's numbers, a period's report,
participation equity, and the kept per-workshop analyses (cache). The SQL lives in db/queries."""
