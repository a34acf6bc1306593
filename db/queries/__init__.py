"""Column queries the analytics read: plain rows and columns over the store's tables (ids as
the driver's text, times as numbers), dialect by dialect, so ``app/insights`` holds no SQL."""
