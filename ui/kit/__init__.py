"""Widgets, theme and formats every screen shares."""
