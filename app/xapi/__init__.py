"""xAPI 1.0.3 for the organisation's learning record store: statements, profile, push."""
