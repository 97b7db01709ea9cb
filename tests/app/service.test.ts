import { describe, expect, it } from 'vitest';
import {
  Deferred,
  MultiService,
  NoSuchServiceError,
  Service,
  ServiceNameError,
} from '../../lib/index.js';

describe('Service', () => {
  it('has the name given by setName', () => {
    const s = new Service();
    s.setName('hello');
    expect(s.name).toBe('hello');
  });

  it('becomes a child of its parent with setServiceParent', () => {
    const s = new Service();
    const p = new MultiService();
    s.setServiceParent(p);
    expect([...p]).toEqual([s]);
    expect(s.parent).toBe(p);
  });

  it('is found by name in its parent', () => {
    const s = new Service();
    const p = new MultiService();
    s.setName('hello');
    s.setServiceParent(p);
    expect(p.getServiceNamed('hello')).toBe(s);
  });

  it('cannot be renamed once it has a parent', () => {
    const s = new Service();
    s.setName('hello');
    s.setServiceParent(new MultiService());
    expect(() => s.setName('lala')).toThrow(ServiceNameError);
    expect(s.name).toBe('hello');
  });

  it('cannot join a parent that already has a child of the same name', () => {
    const p = new MultiService();
    const a = new Service();
    a.setName('hello');
    a.setServiceParent(p);
    const b = new Service();
    b.setName('hello');
    expect(() => b.setServiceParent(p)).toThrow(ServiceNameError);
    expect(b.parent).toBeUndefined();
    expect([...p]).toEqual([a]);
  });

  it('leaves its parent with disownServiceParent', () => {
    const s = new Service();
    const p = new MultiService();
    s.setServiceParent(p);
    s.disownServiceParent();
    expect([...p]).toEqual([]);
    expect(s.parent).toBeUndefined();
  });

  it('is running between startService and stopService', () => {
    const s = new Service();
    expect(s.running).toBe(false);
    s.startService();
    expect(s.running).toBe(true);
    s.stopService();
    expect(s.running).toBe(false);
  });
});

class Recorder extends Service {
  constructor(
    readonly label: string,
    readonly log: string[],
    readonly starting?: Deferred<void>,
    readonly stopping?: Deferred<void>,
  ) {
    super();
  }
  override startService() {
    super.startService();
    this.log.push(`start ${this.label}`);
    return this.starting;
  }
  override stopService() {
    super.stopService();
    this.log.push(`stop ${this.label}`);
    return this.stopping;
  }
}

describe('MultiService', () => {
  it('starts and stops synchronous children synchronously', () => {
    const s = new Service();
    const p = new MultiService();
    s.setServiceParent(p);
    p.startService();
    expect(s.running).toBe(true);
    expect(p.running).toBe(true);
    p.stopService();
    expect(s.running).toBe(false);
    expect(p.running).toBe(false);
  });

  it('starts a child added while it runs, and stops it when removed', () => {
    const p = new MultiService();
    p.startService();
    const s = new Service();
    s.setServiceParent(p);
    expect(s.running).toBe(true);
    s.disownServiceParent();
    expect(s.running).toBe(false);
  });

  it('runs privilegedStartService on every child', () => {
    const p = new MultiService();
    const calls: string[] = [];
    for (const label of ['a', 'b']) {
      const s = new Service();
      s.privilegedStartService = () => calls.push(label);
      s.setServiceParent(p);
    }
    p.privilegedStartService();
    expect(calls).toEqual(['a', 'b']);
  });

  it('waits for each child to start before starting the next', () => {
    const log: string[] = [];
    const first = new Deferred<void>();
    const p = new MultiService();
    new Recorder('a', log, first).setServiceParent(p);
    new Recorder('b', log).setServiceParent(p);
    const started = p.startService();
    expect(log).toEqual(['start a']);
    expect(started.called).toBe(false);
    first.callback(undefined);
    expect(log).toEqual(['start a', 'start b']);
    expect(started.called).toBe(true);
  });

  it('stops the children already started when one fails to start, and fails', async () => {
    const log: string[] = [];
    const p = new MultiService();
    new Recorder('a', log).setServiceParent(p);
    new Recorder(
      'b',
      log,
      Deferred.fromPromise(Promise.reject(new Error('boom'))),
    ).setServiceParent(p);
    new Recorder('c', log).setServiceParent(p);
    await expect(p.startService()).rejects.toThrow('boom');
    expect(log).toEqual(['start a', 'start b', 'stop a']);
    expect(p.running).toBe(false);
  });

  it('stops children in reverse order without waiting in between, and fires when all have stopped', () => {
    const log: string[] = [];
    const stopA = new Deferred<void>();
    const stopB = new Deferred<void>();
    const p = new MultiService();
    new Recorder('a', log, undefined, stopA).setServiceParent(p);
    new Recorder('b', log, undefined, stopB).setServiceParent(p);
    p.startService();
    const stopped = p.stopService();
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
    stopB.callback(undefined);
    expect(stopped.called).toBe(false);
    stopA.callback(undefined);
    expect(stopped.called).toBe(true);
  });

  it('throws for an unknown name and for removing a stranger', () => {
    const p = new MultiService();
    expect(() => p.getServiceNamed('nope')).toThrow(NoSuchServiceError);
    expect(() => p.removeService(new Service())).toThrow(NoSuchServiceError);
  });

  it('is iterable in insertion order', () => {
    const p = new MultiService();
    const children = [new Service(), new Service(), new Service()];
    for (const c of children) c.setServiceParent(p);
    expect([...p]).toEqual(children);
  });
});
