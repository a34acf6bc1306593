"""A stand-in PostgreSQL server for the failure tests: it refuses a password, or says nothing."""

from __future__ import annotations

import socket
import threading


class FakePostgres:
    """Speaks just enough of the PostgreSQL protocol to refuse a password, or says nothing."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.passwords: list[bytes] = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    @staticmethod
    def _read(conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _handle(self, conn: socket.socket) -> None:
        try:
            while True:
                length = int.from_bytes(self._read(conn, 4), "big")
                body = self._read(conn, length - 4)
                code = int.from_bytes(body[:4], "big")
                if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest: no
                    conn.sendall(b"N")
                    continue
                break
            if self.mode == "silent":
                self._stop.wait(30)
                return
            conn.sendall(b"R" + (8).to_bytes(4, "big") + (3).to_bytes(4, "big"))  # cleartext
            kind = self._read(conn, 1)
            size = int.from_bytes(self._read(conn, 4), "big")
            payload = self._read(conn, size - 4)
            if kind == b"p":
                self.passwords.append(payload.rstrip(b"\0"))
            fields = (b"SFATAL\0VFATAL\0C28P01\0"
                      b'Mpassword authentication failed for user "trainer"\0\0')
            conn.sendall(b"E" + (len(fields) + 4).to_bytes(4, "big") + fields)
        except (ConnectionError, OSError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
