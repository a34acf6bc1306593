"""Settings: the shared store and background sync."""
