"""Ralph's LRS app under uvicorn, for the tests: run by the Ralph environment's own Python
(``python ralph_server.py HOST PORT``), never imported by Ripple's tests.

What ``ralph runserver -b fs`` does, minus two things that break a test run: its auto-reload
(it watches the current folder and restarts the server on every file change), and the file
backend's single write. Ralph 5.1.0's file-system LRS backend writes every batch with the
data backend's default operation, ``create``, which refuses once the statements file exists,
so every POST after the first fails with HTTP 500. Appending is what an LRS needs, so the
default is set to ``append`` before the app loads. The backend is configured through the
same environment variables ``runserver`` writes (``RALPH_BACKENDS__LRS__FS__…``).
"""

from __future__ import annotations

import sys

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    import uvicorn

    uvicorn.run("ralph.api:app", host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
