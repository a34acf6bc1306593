"""The main window: nav rail, banner, the page table."""
