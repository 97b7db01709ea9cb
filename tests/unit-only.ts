// Setup of `npm run test:unit` (vitest.unit.config.ts): a unit test that
// opens a socket, binds a datagram socket or starts a process fails, naming
// what it did, so the list of integration tests stays true.
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';

function forbid(what: string): never {
  throw new Error(
    `a unit test must not ${what}: use Clock and the in-memory transports, or list the file in vitest.unit.config.ts`,
  );
}

net.Server.prototype.listen = () => forbid('listen on a socket');
net.Socket.prototype.connect = () => forbid('connect a socket');
dgram.Socket.prototype.bind = () => forbid('bind a datagram socket');
// spawn, exec, execFile and fork all go through ChildProcess#spawn (the *Sync ones do not).
(childProcess.ChildProcess.prototype as unknown as { spawn: () => never }).spawn = () =>
  forbid('start a process');
