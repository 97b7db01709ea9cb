export { deferToThread, deferToThreadPool, getThreadPool } from './defer-to-thread.js';
export { type ErrorDescription, ThreadWorkerError } from './errors.js';
export type { ThreadTask } from './task.js';
export { ThreadPool, type ThreadPoolOptions } from './thread-pool.js';
