"""The booth and the clip gallery."""
