#!/usr/bin/env node
// The `woven` command: runs the compiled CLI (built by `npm install` via `prepare`).
import { main } from '../dist/runner/cli.js';

process.exitCode = await main(process.argv.slice(2));
