"""The booth (booth: the flow; booth_toolbar, person_picker, stage, preview_view, review: its
parts) and the clip gallery (gallery)."""
