"""Plumbing every feature leans on: where files live, logging, credentials, the GC pause."""
