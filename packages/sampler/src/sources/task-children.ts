// The children of one process, from /proc/<pid>/task/<tid>/children, with
// the per-thread files held open: a tick costs one read per thread instead
// of a directory listing plus an open, read and close per thread. The task
// directory is listed again only when the thread count changes, or every
// RELIST_EVERY ticks (one thread exiting while another starts keeps the count,
// and children of an exiting thread move to a sibling thread).

import { readdirSync } from 'node:fs';
import { ProcFile, procBuffer } from './proc-file.js';
import { pushPids } from './process-tree.js';

export const RELIST_EVERY = 10;

export class TaskChildren {
  readonly #taskDir: string;
  readonly #pin: boolean;
  #files: ProcFile[] = [];
  /** Thread count when the task directory was last listed; -1: never. */
  #threads = -1;
  #ticksSinceListing = 0;

  constructor(procRoot: string, pid: number, pin: boolean) {
    this.#taskDir = `${procRoot}/${pid}/task`;
    this.#pin = pin;
  }

  /** Append the process's children to `into`. `threads` is its num_threads from the stat just read. */
  collect(threads: number, into: number[]): void {
    if (threads !== this.#threads || ++this.#ticksSinceListing >= RELIST_EVERY) this.#list(threads);
    for (const file of this.#files) {
      const len = file.read();
      if (len > 0) pushPids(procBuffer(), len, into);
    }
  }

  close(): void {
    for (const file of this.#files) file.close();
    this.#files = [];
    this.#threads = -1;
  }

  #list(threads: number): void {
    this.close();
    this.#ticksSinceListing = 0;
    let tids: string[];
    try {
      tids = readdirSync(this.#taskDir);
    } catch {
      return; // Exited: its children were reparented outside the tree.
    }
    this.#threads = threads;
    this.#files = tids.map((tid) => new ProcFile(`${this.#taskDir}/${tid}/children`, this.#pin, true));
  }
}
