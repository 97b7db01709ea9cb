import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  AlreadyListened,
  EndpointDescriptionError,
  LineReceiver,
  reactor,
  ServerStoppingError,
  StandardIOEndpoint,
  serverFromString,
} from '../../lib/index.js';
import { echo, turns } from '../helpers.js';

function pipes() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const output = (async () => {
    const parts: Buffer[] = [];
    for await (const chunk of stdout) parts.push(chunk as Buffer);
    return Buffer.concat(parts).toString();
  })();
  return { stdin, stdout, output };
}

describe('StandardIOEndpoint', () => {
  it('runs a stream protocol over stdin and stdout, replying after stdin ends', async () => {
    const { stdin, stdout, output } = pipes();
    const port = await new StandardIOEndpoint(reactor, {
      stdin,
      stdout,
      stopReactor: false,
    }).listen(echo);
    expect(port.connectionCount).toBe(1);
    stdin.write('one ');
    stdin.end('two');
    expect(await output).toBe('one two');
    await port.closed;
    expect(port.connectionCount).toBe(0);
    expect(port.getHost()).toEqual({ type: 'UNIX', name: null });
  });

  it('runs a classic protocol, and tells it when the server stops', async () => {
    class Upper extends LineReceiver {
      override delimiter = new TextEncoder().encode('\n');
      override lineReceived(line: Uint8Array): void {
        this.sendLine(Buffer.from(line).toString().toUpperCase());
      }
    }
    const { stdin, stdout, output } = pipes();
    const port = await new StandardIOEndpoint(reactor, {
      stdin,
      stdout,
      stopReactor: false,
    }).listen(Upper);
    stdin.write('shout\n');
    await turns();
    await port.closeConnections(new ServerStoppingError());
    expect(await output).toBe('SHOUT\n');
  });

  it('listens once', async () => {
    const { stdin, stdout } = pipes();
    const endpoint = new StandardIOEndpoint(reactor, { stdin, stdout, stopReactor: false });
    const port = await endpoint.listen(echo);
    await expect(endpoint.listen(echo)).rejects.toBeInstanceOf(AlreadyListened);
    port.abortConnections();
    await port.closed;
  });

  it('is what `stdio:` describes, which takes no arguments', () => {
    expect(serverFromString(reactor, 'stdio:')).toBeInstanceOf(StandardIOEndpoint);
    expect(() => serverFromString(reactor, 'stdio:1')).toThrow(EndpointDescriptionError);
  });
});
