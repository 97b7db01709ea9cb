export { deferToThread, deferToThreadPool, getThreadPool } from './defer-to-thread.js';
export type { ErrorDescription } from './errors.js';
export type { ThreadTask } from './task.js';
export { ThreadPool, type ThreadPoolOptions } from './thread-pool.js';
