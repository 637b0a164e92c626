"""A mail relay for `make scale` that delivers nothing: each message is appended to a JSON-lines file.

Production settings send email over SMTP; on one machine there is no relay to send to, and the
load benchmark must count what was sent (no email twice). Only the SMTP a Django SMTP backend
speaks without TLS or authentication: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

    python deploy/smtp_sink.py --port 8025 --out var/scale/mail.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import time
from pathlib import Path


class Sink:
    """Keeps the output file and writes one line per message."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)

    def keep(self, sender: str, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        # The text of every part, without the headers and MIME boundaries that differ each time:
        # the same email sent twice has the same text_sha256.
        text = hashlib.sha256()
        for part in message.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True)
                text.update(payload if isinstance(payload, bytes) else b"")
        record = {
            "received": time.time(),
            "from": sender,
            "to": recipients,
            "subject": str(message.get("Subject", "")),
            "message_id": str(message.get("Message-ID", "")),
            "headers": {key: str(value) for key, value in message.items()},
            "text_sha256": text.hexdigest(),
            "size": len(data),
        }
        with self.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One SMTP conversation: as many messages as the client sends, then QUIT."""

        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 scale-sink ESMTP")
        sender, recipients = "", list[str]()
        try:
            while line := await reader.readline():
                verb = line.decode(errors="replace").strip()
                upper = verb.upper()
                if upper.startswith("EHLO"):
                    writer.write(b"250-scale-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                elif upper.startswith("HELO"):
                    reply("250 scale-sink")
                elif upper.startswith("MAIL FROM:"):
                    sender, recipients = verb[10:].strip().split(" ")[0].strip("<>"), []
                    reply("250 OK")
                elif upper.startswith("RCPT TO:"):
                    recipients.append(verb[8:].strip().split(" ")[0].strip("<>"))
                    reply("250 OK")
                elif upper == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    lines: list[bytes] = []
                    while (chunk := await reader.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    self.keep(sender, recipients, b"".join(lines))
                    reply("250 OK: kept")
                elif upper == "RSET":
                    sender, recipients = "", []
                    reply("250 OK")
                elif upper == "NOOP":
                    reply("250 OK")
                elif upper == "QUIT":
                    reply("221 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        finally:
            writer.close()


async def serve(host: str, port: int, out: Path) -> None:
    sink = Sink(out)
    server = await asyncio.start_server(sink.session, host, port)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.port, args.out))


if __name__ == "__main__":
    main()
