"""Influence analytics, numpy only (no store, no Qt): params (the one place for the ripple
window, weights and thresholds), batch (rows coded as columns), engine (the method as a
pipeline of named stages; ripples and network hold the stages of links, presence, reach and
network position), summary (what a period keeps of each workshop, and its bytes), workshop
(one workshop's profiles), period (pooled profiles, trend, verdicts) and wording (sentences)."""
