"""A Twisted TLS LineReceiver client for woven's interop tests.

Usage: tls_line_client.py PORT CA_CERT HOSTNAME LINE...
Connects to 127.0.0.1:PORT over TLS, verifying the server's certificate
against CA_CERT for HOSTNAME, sends each LINE, and prints the replies as a
JSON list once all arrived; on a failure prints {"error": ...}. Exits when the
server closes, or after 10 seconds.
"""
import json
import sys

from twisted.internet import protocol, reactor, ssl
from twisted.protocols import basic

port, ca_path, hostname, lines = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]


def stop():
    if reactor.running:
        reactor.stop()


class Client(basic.LineReceiver):
    def connectionMade(self):
        self.got = []
        for line in lines:
            self.sendLine(line.encode())

    def lineReceived(self, line):
        self.got.append(line.decode())
        if len(self.got) == len(lines):
            print(json.dumps(self.got), flush=True)
            self.transport.loseConnection()

    def connectionLost(self, reason):
        if len(self.got) < len(lines):
            print(json.dumps({"error": reason.getErrorMessage()}), flush=True)
        stop()


class Factory(protocol.ClientFactory):
    protocol = Client

    def clientConnectionFailed(self, connector, reason):
        print(json.dumps({"error": reason.getErrorMessage()}), flush=True)
        stop()


with open(ca_path) as f:
    trust = ssl.Certificate.loadPEM(f.read())
options = ssl.optionsForClientTLS(hostname, trustRoot=trust)
reactor.connectSSL("127.0.0.1", port, Factory(), options)
reactor.callLater(10, stop)
reactor.run()
