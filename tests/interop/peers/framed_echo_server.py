"""A Twisted echo server for woven's interop tests.

Usage: framed_echo_server.py KIND [KEY CERT]
KIND is line, netstring or int32; with KEY and CERT (PEM files) it serves TLS.
Listens on 127.0.0.1, port 0, and prints the bound port on stdout. Exits when
stdin closes (the test is done), when its first client disconnects, or after
30 seconds.
"""
import sys

from twisted.internet import protocol, reactor, ssl, stdio
from twisted.protocols import basic

kind = sys.argv[1]
Base = {
    "line": basic.LineReceiver,
    "netstring": basic.NetstringReceiver,
    "int32": basic.Int32StringReceiver,
}[kind]


def stop():
    if reactor.running:
        reactor.stop()


class Echo(Base):
    def lineReceived(self, line):
        self.sendLine(line)

    def stringReceived(self, string):
        self.sendString(string)

    def connectionLost(self, reason):
        stop()


class StopOnEOF(protocol.Protocol):
    def connectionLost(self, reason):
        stop()


factory = protocol.Factory.forProtocol(Echo)
if len(sys.argv) > 2:
    with open(sys.argv[2]) as k, open(sys.argv[3]) as c:
        cert = ssl.PrivateCertificate.loadPEM(k.read() + c.read())
    port = reactor.listenSSL(0, factory, cert.options(), interface="127.0.0.1")
else:
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
print(port.getHost().port, flush=True)
stdio.StandardIO(StopOnEOF())
reactor.callLater(30, stop)
reactor.run()
