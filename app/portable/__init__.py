"""The portable workshop file: its spec, writing, reading and applying it to a store."""
