#!/usr/bin/python3
"""SMTP sink for the demo and test stack: accepts every message on 127.0.0.1 and writes it to a folder.

Each message becomes DIR/<time>-<n>.eml: two added headers X-Sink-Mail-From and X-Sink-Rcpt-To
(the SMTP envelope) followed by the message bytes exactly as received. A file appears whole
(written under a dot name, then renamed), so a reader never sees half a message.

    /usr/bin/python3 conf/smtp_sink.py --port 2525 --dir .run/mail [--pidfile FILE] [--host 127.0.0.1]
"""
import argparse
import asyncio
import itertools
import os
import signal
import sys
import time

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.seq = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        head = "X-Sink-Mail-From: %s\r\nX-Sink-Rcpt-To: %s\r\n" % (
            envelope.mail_from or "", ", ".join(envelope.rcpt_tos))
        name = "%s-%06d-%d.eml" % (time.strftime("%Y%m%dT%H%M%S"), next(self.seq), os.getpid())
        tmp = os.path.join(self.folder, "." + name)
        with open(tmp, "wb") as f:
            f.write(head.encode("utf-8", "surrogateescape"))
            f.write(data)
        os.rename(tmp, os.path.join(self.folder, name))
        return "250 OK stored as " + name


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--pidfile")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(sink, hostname="smtp-sink.local", decode_data=False, enable_SMTPUTF8=True,
                    ident="mod_shop SMTP sink")

    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    if args.pidfile:
        with open(args.pidfile + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(args.pidfile + ".tmp", args.pidfile)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    print("smtp_sink: listening on %s:%d, writing to %s" % (args.host, args.port, args.dir), flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()
        if args.pidfile:
            try:
                if open(args.pidfile).read().strip() == str(os.getpid()):
                    os.unlink(args.pidfile)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
