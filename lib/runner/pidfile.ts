import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { setErrorName, WovenError } from '../failure/index.js';
import type { Logger } from '../log/index.js';

/** The pidfile is held by a live process: another instance is running. */
export class AlreadyRunningError extends WovenError {
  static {
    setErrorName(this, 'AlreadyRunningError', 'ERR_ALREADY_RUNNING');
  }
}

/** The pidfile could not be created or read (permissions, a missing directory). */
export class PidfileError extends WovenError {
  static {
    setErrorName(this, 'PidfileError', 'ERR_PIDFILE');
  }
}

/**
 * The start time of process `pid` (clock ticks since boot, field 22 of
 * `/proc/<pid>/stat`), or `undefined` where /proc is not available.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a pidfile holds: the pid and, where known, that process's start time. */
interface PidRecord {
  pid: number;
  startTime?: string;
}

function parseRecord(text: string): PidRecord | undefined {
  const [pidText, startTime] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { pid, startTime: startTime || undefined };
}

/**
 * Whether the process recorded in a pidfile is still the one that wrote it.
 * `kill(pid, 0)` alone is not enough: after a reboot or a long time the pid
 * may belong to an unrelated process, so the recorded start time must match
 * too (on systems with /proc).
 */
export function isRecordLive(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  if (record.startTime === undefined) return true;
  const now = processStartTime(record.pid);
  return now === undefined || now === record.startTime;
}

/**
 * A pidfile, as twistd's `--pidfile`: {@link acquire} writes this process's
 * pid (and start time) or throws {@link AlreadyRunningError} when a live
 * process holds the file; a stale file (dead process, or a reused pid) is
 * taken over. {@link release} removes it.
 *
 * @example
 * ```ts
 * const pidfile = new PidFile('/run/myapp.pid');
 * pidfile.acquire();
 * process.on('exit', () => pidfile.release());
 * ```
 */
export class PidFile {
  /** The file's path. */
  readonly path: string;
  #held = false;

  constructor(path: string) {
    this.path = path;
  }

  /** The record in the file, or `undefined` when there is none (or it is garbage). */
  read(): PidRecord | undefined {
    try {
      return parseRecord(readFileSync(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new PidfileError(`cannot read pidfile ${this.path}: ${(error as Error).message}`);
    }
  }

  /** Write this process's record, refusing when a live process holds the file. */
  acquire(pid = process.pid): void {
    const text = `${pid} ${processStartTime(pid) ?? ''}`.trim();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(this.path, `${text}\n`, { flag: 'wx' });
        this.#held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new PidfileError(`cannot write pidfile ${this.path}: ${(error as Error).message}`);
        }
      }
      const record = this.read();
      if (record && isRecordLive(record)) {
        throw new AlreadyRunningError(
          `another process (pid ${record.pid}) holds the pidfile ${this.path}`,
        );
      }
      this.#remove();
    }
    throw new PidfileError(`cannot take over pidfile ${this.path}`);
  }

  /** Remove the file if this object wrote it. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.#remove();
  }

  #remove(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Acquire the pidfile at `path` for a runner: the held {@link PidFile},
 * `undefined` when no path is given, or `false` (after logging why) when
 * it cannot be taken.
 */
export function takePidfile(path: string | undefined, log: Logger): PidFile | undefined | false {
  if (path === undefined) return undefined;
  const pidfile = new PidFile(path);
  try {
    pidfile.acquire();
    return pidfile;
  } catch (error) {
    log.error('cannot start: {reason}', { reason: (error as Error).message });
    return false;
  }
}
