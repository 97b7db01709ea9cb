import { describe, expect, it } from 'vitest';
import {
  ConnectionDone,
  ConnectionLost,
  type Failure,
  LineReceiver,
  loopback,
  Protocol,
} from '../../lib/index.js';

class Recorder extends Protocol {
  received = '';
  reason: Failure | null = null;
  override dataReceived(data: Uint8Array) {
    this.received += new TextDecoder().decode(data);
  }
  override connectionLost(reason: Failure) {
    this.reason = reason;
  }
}

class Echo extends Recorder {
  override dataReceived(data: Uint8Array) {
    super.dataReceived(data);
    this.transport!.write(data);
  }
}

class SendThenClose extends Recorder {
  constructor(readonly messages: string[]) {
    super();
  }
  override connectionMade() {
    for (const m of this.messages) this.transport!.write(m);
    this.transport!.loseConnection();
  }
}

describe('loopback', () => {
  it('pumps data both ways and resolves when both sides lost their connections', async () => {
    const server = new Echo();
    const client = new SendThenClose(['hello ', 'world']);
    await loopback(server, client);
    expect(server.received).toBe('hello world');
    expect(server.reason?.check(ConnectionDone)).toBe(ConnectionDone);
    expect(client.reason?.check(ConnectionDone)).toBe(ConnectionDone);
  });

  it('reports an abort as ConnectionLost to the other side', async () => {
    class Aborter extends Recorder {
      override connectionMade() {
        this.transport!.abortConnection();
      }
    }
    const server = new Recorder();
    const client = new Aborter();
    await loopback(server, client);
    expect(server.reason?.check(ConnectionLost)).toBe(ConnectionLost);
    expect(client.reason?.check(ConnectionLost)).toBe(ConnectionLost);
  });

  it('runs line-based protocols against each other', async () => {
    const lines: string[] = [];
    class Server extends LineReceiver {
      override lineReceived(line: Uint8Array) {
        lines.push(new TextDecoder().decode(line));
        if (lines.length === 2) this.transport!.loseConnection();
      }
    }
    await loopback(new Server(), new SendThenClose(['one\r\ntw', 'o\r\n']));
    expect(lines).toEqual(['one', 'two']);
  });
});
