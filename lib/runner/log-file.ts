// Tests: tests/runner/logfile.test.ts
import { closeSync, openSync, writeSync } from 'node:fs';
import { setErrorName, WovenError } from '../failure/index.js';
import type { TextSink } from '../log/index.js';

/** The `--logfile` cannot be opened: its message names the file and the cause. */
export class LogFileError extends WovenError {
  static {
    setErrorName(this, 'LogFileError', 'ERR_LOG_FILE');
  }
}

/**
 * The runner's `--logfile`: opened for appending at once (so a missing
 * directory fails the start, naming the file), written synchronously (so a
 * line logged just before the process exits is not lost). A write that
 * fails later (disk full) is reported once on stderr and the line
 * dropped; the service keeps running, and later lines are tried again.
 */
export class LogFile implements TextSink {
  readonly path: string;
  #fd: number;
  #failing = false;

  /** Open `path` for appending; throws {@link LogFileError} (ENOENT, EACCES, ...) when it cannot. */
  constructor(path: string) {
    this.path = path;
    try {
      this.#fd = openSync(path, 'a');
    } catch (error) {
      throw new LogFileError(`cannot open the log file: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Append `chunk`; a failure is reported once (until a write succeeds again), never thrown. */
  write(chunk: string): void {
    try {
      const bytes = Buffer.from(chunk);
      for (let done = 0; done < bytes.length; ) {
        const n = writeSync(this.#fd, bytes, done);
        if (n === 0) throw new LogFileError('the file accepted no bytes');
        done += n;
      }
      this.#failing = false;
    } catch (error) {
      if (this.#failing) return;
      this.#failing = true;
      process.stderr.write(
        `woven: cannot write the log to ${this.path} (${(error as Error).message}); dropping log lines until it works again\n`,
      );
    }
  }

  /**
   * Open `path` again and write there from now on, closing the old
   * descriptor: after logrotate renamed the file, new lines go to a new
   * file at the original path. If it cannot be opened, the error is
   * reported on stderr and the old file kept.
   */
  reopen(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'a');
    } catch (error) {
      process.stderr.write(
        `woven: cannot reopen the log file ${this.path} (${(error as Error).message}); still writing to the old one\n`,
      );
      return false;
    }
    closeSync(this.#fd);
    this.#fd = fd;
    return true;
  }

  /** Close the file. */
  close(): void {
    closeSync(this.#fd);
  }
}
