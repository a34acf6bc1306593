"""What every screen shares: page (the Page base: banner signals, guard, stale-and-refresh on
store changes), widgets (buttons, cards, the floating banner, wrapping list), theme (palette, fonts, the stylesheet),
icons (the one icon set, by purpose, in the theme's colours)."""
