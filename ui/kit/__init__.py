"""What every screen shares: page (the Page base: banner signals, guard, stale-and-refresh on
store changes), widgets (buttons, cards, banner, wrapping list), theme (palette and fonts)."""
