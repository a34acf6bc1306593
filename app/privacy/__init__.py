"""The person's rights, built in: subject access (access), retention (retention)."""
