"""A tiny IMAP server on a local socket, speaking just what the poller uses.

CAPABILITY, LOGIN, SELECT, UID SEARCH UNSEEN, UID FETCH (UID RFC822.SIZE /
BODY.PEEK[] / BODY.PEEK[HEADER]), UID STORE +FLAGS (\\Seen), LOGOUT. Real
imaplib talks to it over TCP on 127.0.0.1, so the poller's socket timeouts,
literals and reconnects are exercised for real.

`stall` holds UIDs whose body fetch never answers (the server sits on the
request until the client gives up), like a mail server choking on a message.
"""

import shlex
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class StoredMessage:
    raw: bytes
    flags: set[str] = field(default_factory=set)


class FakeImapServer:
    def __init__(self, *, username="support", password="secret", mailbox="INBOX"):
        self.username = username
        self.password = password
        self.mailbox = mailbox
        self.messages: dict[int, StoredMessage] = {}
        self.stall: set[int] = set()
        self.commands: list[str] = []
        self.logins = 0
        self._stop = threading.Event()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def add(self, raw: bytes, *, seen: bool = False) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = StoredMessage(raw, {"\\Seen"} if seen else set())
        return uid

    def seen(self, uid: int) -> bool:
        return "\\Seen" in self.messages[uid].flags

    def url(self, scheme: str = "imap") -> str:
        return f"{scheme}://{self.username}:{self.password}@127.0.0.1:{self.port}/{self.mailbox}"

    def __enter__(self) -> "FakeImapServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler_class(self):
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.selected = False
                self.send(b"* OK [CAPABILITY IMAP4rev1] fake IMAP ready")
                while not server._stop.is_set():
                    line = self.rfile.readline()
                    if not line:
                        return
                    tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
                    server.commands.append(rest)
                    if not self.dispatch(tag, rest):
                        return

            def send(self, data: bytes) -> None:
                self.wfile.write(data + b"\r\n")
                self.wfile.flush()

            def dispatch(self, tag: str, rest: str) -> bool:
                command, _, args = rest.partition(" ")
                command = command.upper()
                if command == "CAPABILITY":
                    self.send(b"* CAPABILITY IMAP4rev1")
                elif command == "LOGIN":
                    user, password = shlex.split(args)
                    if (user, password) != (server.username, server.password):
                        self.send(f"{tag} NO [AUTHENTICATIONFAILED] bad login".encode())
                        return True
                    server.logins += 1
                elif command == "SELECT":
                    if args.strip('"') != server.mailbox:
                        self.send(f"{tag} NO no such mailbox".encode())
                        return True
                    self.selected = True
                    self.send(f"* {len(server.messages)} EXISTS".encode())
                elif command == "UID":
                    return self.uid(tag, args)
                elif command == "LOGOUT":
                    self.send(b"* BYE see you")
                    self.send(f"{tag} OK LOGOUT completed".encode())
                    return False
                else:
                    self.send(f"{tag} BAD unknown command".encode())
                    return True
                self.send(f"{tag} OK {command} completed".encode())
                return True

            def uid(self, tag: str, args: str) -> bool:
                sub, _, rest = args.partition(" ")
                sub = sub.upper()
                uids = sorted(server.messages)
                if sub == "SEARCH":
                    unseen = [str(u) for u in uids if not server.seen(u)]
                    self.send(("* SEARCH " + " ".join(unseen)).strip().encode())
                elif sub == "FETCH":
                    wanted, _, what = rest.partition(" ")
                    for uid in [int(u) for u in wanted.split(",")]:
                        seq = uids.index(uid) + 1
                        raw = server.messages[uid].raw
                        if "RFC822.SIZE" in what:
                            self.send(f"* {seq} FETCH (UID {uid} RFC822.SIZE {len(raw)})".encode())
                        elif "BODY.PEEK[HEADER]" in what:
                            head = raw.split(b"\n\n", 1)[0] + b"\n\n"
                            self.literal(seq, uid, "BODY[HEADER]", head)
                        elif "BODY.PEEK[]" in what:
                            if uid in server.stall:
                                server._stop.wait(10)  # never answers: the client times out
                                return False
                            self.literal(seq, uid, "BODY[]", raw)
                elif sub == "STORE":
                    uid_text, _, flags = rest.partition(" ")
                    uid = int(uid_text)
                    if "\\Seen" in flags:
                        server.messages[uid].flags.add("\\Seen")
                    seq = uids.index(uid) + 1
                    self.send(f"* {seq} FETCH (UID {uid} FLAGS (\\Seen))".encode())
                else:
                    self.send(f"{tag} BAD unknown UID command".encode())
                    return True
                self.send(f"{tag} OK UID {sub} completed".encode())
                return True

            def literal(self, seq: int, uid: int, item: str, data: bytes) -> None:
                self.wfile.write(f"* {seq} FETCH (UID {uid} {item} {{{len(data)}}}\r\n".encode())
                self.wfile.write(data)
                self.send(b")")

        return Handler
