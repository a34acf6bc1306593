"""The desktop app (PySide6): ``app`` starts it; ``shell`` is the main window; one package per
screen of the nav rail (plan, live, clips, insights, settings), which know nothing of each
other; ``kit`` is what they share; ``tasks`` runs work off the UI thread and ``changes`` tells
every screen what was written."""
