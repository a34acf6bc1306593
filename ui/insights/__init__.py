"""The insights screen: one workshop, across workshops, charts, the export dialog."""
