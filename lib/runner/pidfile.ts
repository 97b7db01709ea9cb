import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/** Clock ticks per second of `/proc/<pid>/stat`'s start time (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Seconds since the epoch at which the machine booted (`btime` of /proc/stat), if known. */
function bootTime(): number | undefined {
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When process `pid` started, in seconds since the epoch (from field 22 of
 * `/proc/<pid>/stat` and the boot time), or `undefined` where /proc is not
 * available.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = bootTime();
    return boot === undefined || !Number.isFinite(ticks)
      ? undefined
      : boot + ticks / TICKS_PER_SECOND;
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

/** What a pidfile tells: the pid it holds and when it was written (its mtime, seconds). */
interface PidRecord {
  pid: number;
  writtenAt: number;
}

/** Slack between a process's start and its pidfile's mtime (clock granularity). */
const START_SLACK = 2;

/**
 * Whether the process recorded in a pidfile is still the one that wrote it.
 * `kill(pid, 0)` alone is not enough: after a reboot or a long time the pid
 * may belong to an unrelated process. The file holds the pid alone (so
 * `kill $(cat pidfile)` and systemd's `PIDFile=` work), so a process that
 * started after the file was written cannot be its writer (on systems with /proc).
 */
export function isRecordLive(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  const started = processStartTime(record.pid);
  return started === undefined || started <= record.writtenAt + START_SLACK;
}

/**
 * A pidfile, as twistd's `--pidfile`: {@link acquire} writes this process's
 * pid alone or throws {@link AlreadyRunningError} when a live
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

  /**
   * The record in the file, or `undefined` when there is none. A file that
   * holds no pid is not a pidfile: it throws {@link PidfileError} naming it
   * (woven never deletes a file it does not own).
   */
  read(): PidRecord | undefined {
    let text: string;
    let writtenAt: number;
    try {
      text = readFileSync(this.path, 'utf8');
      writtenAt = statSync(this.path).mtimeMs / 1000;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new PidfileError(`cannot read pidfile ${this.path}: ${(error as Error).message}`);
    }
    const pid = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(pid) || pid <= 0) {
      throw new PidfileError(
        `${this.path} exists and holds no pid: not a pidfile, refusing to replace it`,
      );
    }
    return { pid, writtenAt };
  }

  /** Write this process's record, refusing when a live process holds the file. */
  acquire(pid = process.pid): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(this.path, `${pid}\n`, { flag: 'wx' });
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
