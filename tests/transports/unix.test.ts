import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  BadFileError,
  CannotListenError,
  ConnectionDone,
  ConnectionRefusedError,
  Reactor,
} from '../../lib/index.js';
import { Echo, echo } from '../helpers.js';
import { RecordingClientFactory, type Recorder, Resources, readAll } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => res.closeAll());
const dir = mkdtempSync(join(tmpdir(), 'woven-unix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const path = () => join(dir, `t${n++}.sock`);

describe('listenUNIX / connectUNIX', () => {
  it('serves a stream protocol on a Unix socket with the requested mode', async () => {
    const p = path();
    const port = res.port(await reactor.listenUNIX(p, echo, 50, 0o600));
    expect(port.getHost()).toEqual({ type: 'UNIX', name: p });
    expect(statSync(p).mode & 0o777).toBe(0o600);
    const socket = res.socket(net.connect({ path: p, allowHalfOpen: true }));
    const all = readAll(socket);
    socket.end('over unix');
    expect((await all).toString()).toBe('over unix');
  });

  it('connects a classic client, which reports UNIX addresses', async () => {
    const p = path();
    res.port(await reactor.listenUNIX(p, Echo));
    const factory = new RecordingClientFactory();
    const connector = res.connector(reactor.connectUNIX(p, factory, 5));
    expect(connector.getDestination()).toEqual({ type: 'UNIX', name: p });
    const client = await factory.built.promise;
    await client.made.promise;
    expect(client.transport!.getPeer()).toEqual({ type: 'UNIX', name: p });
    client.transport!.write('ping');
    client.transport!.loseConnection();
    expect((await factory.lost.promise).check(ConnectionDone)).toBe(ConnectionDone);
  });

  it('removes the socket file on stopListening', async () => {
    const p = path();
    const port = await reactor.listenUNIX(p, Echo);
    expect(existsSync(p)).toBe(true);
    await port.stopListening();
    expect(existsSync(p)).toBe(false);
  });

  it('fails with ConnectionRefusedError when nothing listens at the path', async () => {
    const factory = new RecordingClientFactory();
    reactor.connectUNIX(path(), factory, 5);
    expect((await factory.failed.promise).check(ConnectionRefusedError)).toBe(
      ConnectionRefusedError,
    );
  });

  it('rejects with CannotListenError when the path is in use', async () => {
    const p = path();
    res.port(await reactor.listenUNIX(p, Echo));
    const error = await reactor.listenUNIX(p, Echo).catch((e) => e);
    expect(error).toBeInstanceOf(CannotListenError);
    expect(error.port).toBe(p);
  });

  it('with wantPID, takes a lock file, replaces a dead server’s socket and releases the lock on stop', async () => {
    const p = path();
    // A dead server: a stale socket file and a lock naming a pid that has exited.
    const dead = spawnSync('/bin/true').pid;
    symlinkSync(String(dead), `${p}.lock`);
    spawnSync('/usr/bin/python3', [
      '-c',
      'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])',
      p,
    ]);
    expect(existsSync(p)).toBe(true);
    const port = await reactor.listenUNIX(p, Echo, 50, 0o666, true);
    expect(readlinkSync(`${p}.lock`)).toBe(String(process.pid));
    const factory = new RecordingClientFactory();
    reactor.connectUNIX(p, factory, 5, true);
    const client: Recorder = await factory.built.promise;
    await client.made.promise;
    client.transport!.loseConnection();
    await factory.lost.promise;
    await port.stopListening();
    expect(existsSync(`${p}.lock`)).toBe(false);
  });

  it('with wantPID, refuses a regular file at the path and leaves it as it was', async () => {
    const p = path();
    writeFileSync(p, 'not yours');
    const error = await reactor.listenUNIX(p, Echo, 50, 0o666, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotListenError);
    expect((error as CannotListenError).message).toContain(`${p} exists and is not a socket`);
    expect(readFileSync(p, 'utf8')).toBe('not yours');
    expect(existsSync(`${p}.lock`)).toBe(false);
  });

  it('with wantPID, refuses the live socket of a server that holds no lock, which keeps serving', async () => {
    const p = path();
    const other = net.createServer((s) => s.on('error', () => {}).end('still mine')); // woven's probe resets
    await new Promise<void>((resolve) => other.listen(p, resolve));
    res.onClose(() => new Promise((resolve) => other.close(resolve)));
    const error = await reactor.listenUNIX(p, Echo, 50, 0o666, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotListenError);
    expect((error as CannotListenError).message).toContain(`another server is listening on ${p}`);
    const reply = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      net
        .connect({ path: p })
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve(Buffer.concat(chunks).toString()))
        .on('error', reject);
    });
    expect(reply).toBe('still mine');
  });

  it('with checkPID, fails with BadFileError when no live server holds the lock', async () => {
    const p = path();
    res.port(await reactor.listenUNIX(p, Echo)); // listening, but without a lock file
    const factory = new RecordingClientFactory();
    reactor.connectUNIX(p, factory, 5, true);
    expect((await factory.failed.promise).check(BadFileError)).toBe(BadFileError);
    expect(factory.startedConnectingCount).toBe(1);
  });
});
