"""``python -m app.cli``: the same as the ``ripple`` command."""

from app.cli import main

raise SystemExit(main())
