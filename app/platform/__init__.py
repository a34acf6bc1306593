"""Plumbing every feature leans on: paths (the data folder), logs (the masked log file),
credentials (the keychain), gc_pause (no collector pauses mid-recording), build_info (version
and commit), about (what Settings → About shows and the diagnostics), selftest
(``ripple --self-test``)."""
