#!/usr/bin/env node
// The `woven` command: runs the compiled CLI (built by `npm install` via `prepare`).
import { main } from '../dist/runner/cli.js';

process.exitCode = await main(process.argv.slice(2));
// Once woven is done, nothing the service left behind (a timer, a socket it
// never closed) may keep the process alive: exit if the loop has not emptied
// within a second (the timer is unref'd, so a clean exit does not wait for it).
setTimeout(() => {
  process.stderr.write(
    'woven: still running 1 s after the stop (the service left a timer or socket open); exiting\n',
  );
  process.exit();
}, 1000).unref();
