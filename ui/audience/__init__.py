"""The audience window: what the projector shows (see :mod:`ui.audience.controller`)."""
