"""A small SMTP server on loopback for the tests: it keeps every message it accepts (the
recipients of each), and can be told to stop answering after some number of messages, as a
mail server that hangs does."""

import re
import socket
import threading

from tests.helpers import present


class SmtpSink:
    def __init__(self, *, answer_messages: int | None = None) -> None:
        self.answer_messages = answer_messages  # None: every one
        self.delivered: list[list[str]] = []  # the recipients of each accepted message
        self.hanging = threading.Event()  # set once it has stopped answering
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.port = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self._listener.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        reader = connection.makefile("rb")

        def say(line: str) -> None:
            connection.sendall(line.encode() + b"\r\n")

        try:
            say("220 sink ESMTP")
            recipients: list[str] = []
            while line := reader.readline():
                command = line.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 sink")
                elif verb == "MAIL":
                    if (
                        self.answer_messages is not None
                        and len(self.delivered) >= self.answer_messages
                    ):
                        self.hanging.set()
                        threading.Event().wait()  # never answers
                    recipients = []
                    say("250 OK")
                elif verb == "RCPT":
                    recipients.append(present(re.search(r"<([^>]*)>", command))[1])
                    say("250 OK")
                elif verb == "DATA":
                    say("354 go on")
                    while reader.readline().rstrip(b"\r\n") != b".":
                        pass
                    self.delivered.append(recipients)
                    say("250 queued")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 OK")
        except OSError:
            return
        finally:
            connection.close()

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        self._listener.close()
