"""The main window (window): the nav rail, the banner, and the pages, each built the first
time it is shown."""
