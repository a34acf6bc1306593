"""Ripple's domain and use cases: plain Python, usable headless and from the CLI."""

__version__ = "0.1.0"
