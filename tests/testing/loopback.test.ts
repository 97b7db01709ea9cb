import { describe, expect, it } from 'vitest';
import {
  ConnectionDone,
  connectedServerAndClient,
  ConnectionLost,
  type Failure,
  LineReceiver,
  loopback,
  memoryTransportPair,
  Protocol,
} from '../../lib/index.js';
import { turns } from '../protocols/connection-conformance.js';

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

describe('MemoryTransport', () => {
  it('pauses a streaming producer above the high-water mark and resumes it once delivered', async () => {
    const [ct, st] = memoryTransportPair({ highWaterMark: 4 });
    const server = new Recorder();
    const client = new Recorder();
    st.attach(server);
    ct.attach(client);
    const calls: string[] = [];
    ct.registerProducer(
      {
        pauseProducing: () => calls.push('pause'),
        resumeProducing: () => calls.push('resume'),
        stopProducing: () => calls.push('stop'),
      },
      true,
    );
    expect(() =>
      ct.registerProducer({ resumeProducing() {}, stopProducing() {} }, false),
    ).toThrow();
    ct.write('12345');
    expect(calls).toEqual(['pause']);
    expect(ct.bufferedBytes).toBe(5);
    await turns(1);
    expect(server.received).toBe('12345');
    expect(calls).toEqual(['pause', 'resume']);
    ct.abortConnection();
    await ct.lost;
    expect(calls).toEqual(['pause', 'resume', 'stop']);
  });

  it('holds data for a reader that paused, and delivers it on resume', async () => {
    const [ct, st] = memoryTransportPair();
    const server = new Recorder();
    st.attach(server);
    ct.attach(new Recorder());
    st.pauseProducing();
    ct.write('held');
    ct.loseConnection();
    await turns(2);
    expect(server.received).toBe('');
    expect(server.reason).toBeNull();
    st.resumeProducing();
    await turns(2);
    expect(server.received).toBe('held');
    expect(server.reason?.check(ConnectionDone)).toBe(ConnectionDone);
  });

  it('tells a half-closeable protocol about the peer’s EOF and keeps its write side open', async () => {
    class HalfCloser extends Recorder {
      readLost = false;
      readConnectionLost() {
        this.readLost = true;
        this.transport!.write('after eof');
        this.transport!.loseConnection();
      }
    }
    const [ct, st] = memoryTransportPair();
    const server = new HalfCloser();
    const client = new Recorder();
    st.attach(server);
    ct.attach(client);
    ct.write('request');
    ct.loseWriteConnection();
    await Promise.all([st.lost, ct.lost]);
    expect(server.readLost).toBe(true);
    expect(server.received).toBe('request');
    expect(client.received).toBe('after eof');
    expect(client.reason?.check(ConnectionDone)).toBe(ConnectionDone);
  });

  it('drops data still in flight when aborted', async () => {
    const [ct, st] = memoryTransportPair();
    const server = new Recorder();
    st.attach(server);
    ct.attach(new Recorder());
    ct.write('never seen');
    ct.abortConnection();
    await st.lost;
    expect(server.received).toBe('');
    expect(ct.disconnecting).toBe(true);
  });

  it('reports each end’s address to the other', () => {
    const [ct, st] = memoryTransportPair();
    expect(ct.getPeer()).toEqual(st.getHost());
    expect(st.getPeer()).toEqual(ct.getHost());
  });
});

describe('connectedServerAndClient and IOPump', () => {
  it('moves nothing until pumped, then everything on flush', () => {
    const { server, client, pump } = connectedServerAndClient(new Echo(), new Recorder());
    client.transport!.write('ping');
    expect(server.received).toBe('');
    expect(pump.pump()).toBe(true);
    expect(server.received).toBe('ping');
    expect(client.received).toBe('');
    pump.flush();
    expect(client.received).toBe('ping');
    expect(pump.pump()).toBe(false);
  });

  it('delivers closes through the pump', () => {
    const { server, client, pump } = connectedServerAndClient(new Recorder(), new Recorder());
    client.transport!.loseConnection();
    expect(server.reason).toBeNull();
    pump.flush();
    expect(server.reason?.check(ConnectionDone)).toBe(ConnectionDone);
    expect(client.reason?.check(ConnectionDone)).toBe(ConnectionDone);
  });

  it('flush gives up on protocols that talk forever', () => {
    class PingPong extends Echo {
      override connectionMade() {
        this.transport!.write('x');
      }
    }
    const { pump } = connectedServerAndClient(new Echo(), new Recorder());
    expect(() => connectedServerAndClient(new Echo(), new PingPong())).toThrow(/still busy/);
    expect(() => pump.flush(5)).not.toThrow();
  });
});
