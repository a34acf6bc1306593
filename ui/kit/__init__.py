"""What every screen shares: the Page base, widgets, theme, formats."""
