"""The bundle's entry point: the same as the ``ripple`` command of an installed checkout."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A frozen program that (or whose libraries) start worker processes must say so first.
    multiprocessing.freeze_support()
    from app.cli import main

    sys.exit(main())
