// Shared by the examples: run a start function when the file is run directly.
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the program (`npx tsx examples/<name>.ts`). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}
