"""Clips: the library of recorded and imported clips, recording, reactions."""
