"""Influence analytics (numpy only): parameters, the engine's named stages, summaries, wording."""
