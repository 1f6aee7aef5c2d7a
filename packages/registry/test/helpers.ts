// Test helpers: unique registry names that are always unlinked, native
// mappings and child processes that are always closed or killed, also when
// a test fails.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { binding } from '@sandmeter/native';
import { afterAll, afterEach, expect } from 'vitest';
import { Registry, SandmeterError, type OpenOptions, type SandmeterErrorCode } from '../src/index.js';

const names = new Set<string>();
const registries = new Set<Registry>();
const mappings = new Set<ArrayBuffer>();
const children = new Set<ChildProcess>();

export function uniqueName(tag = 't'): string {
  const name = `/sm-test-${tag}-${process.pid}-${randomBytes(4).toString('hex')}`;
  names.add(name);
  return name;
}

/** A fresh registry whose shm object is removed after the test. */
export function freshRegistry(options: OpenOptions = {}, tag = 't'): Registry {
  const reg = Registry.openOrCreate(uniqueName(tag), { capacity: 8, ...options });
  registries.add(reg);
  return reg;
}

export function track(reg: Registry): Registry {
  registries.add(reg);
  names.add(reg.name);
  return reg;
}

export function trackName(name: string): string {
  names.add(name);
  return name;
}

/** A second mapping of an existing registry, through the C++ binding only. */
export function nativeMapping(name: string): ArrayBuffer {
  const buffer = binding.open(name, 0);
  mappings.add(buffer);
  return buffer;
}

/** Where the shm object `/name` lives as a file. */
export const shmPath = (name: string): string => `/dev/shm/${name.slice(1)}`;

/** Raw bytes of the whole shm object, read with fs (outside the binding). */
export const rawBytes = (name: string): Buffer => readFileSync(shmPath(name));

/** Raw bytes of one slot. */
export function rawSlot(name: string, slot: number): Buffer {
  const at = 256 + slot * 512;
  return rawBytes(name).subarray(at, at + 512);
}

export const rawSeq = (name: string, slot: number): bigint => rawSlot(name, slot).readBigUInt64LE(0x10);

/** Runs fn, expects a SandmeterError with `code`, and returns it for more checks. */
export function expectCode<E extends SandmeterError = SandmeterError>(fn: () => unknown, code: SandmeterErrorCode): E {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected an error with code ${code}`).toBeInstanceOf(SandmeterError);
  expect((caught as SandmeterError).code).toBe(code);
  return caught as E;
}

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Forks a fixture script (test/fixtures/<file>) with IPC. */
export function forkFixture(file: string, args: string[] = []): ChildProcess {
  // Fixtures run the compiled package, as another process on the host would.
  if (!existsSync(distIndex)) throw new Error('dist/ is missing: run `pnpm --filter @sandmeter/registry build` first');
  const path = fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
  const child = fork(path, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Buffers every message of a child from the moment it is forked, so no
 * message is lost between two awaits.
 */
export class Inbox<T = unknown> {
  readonly #queue: T[] = [];
  readonly #waiting: { resolve: (m: T) => void; reject: (e: Error) => void }[] = [];
  #exit: Error | undefined;

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: T) => {
      const w = this.#waiting.shift();
      if (w !== undefined) w.resolve(m);
      else this.#queue.push(m);
    });
    child.once('exit', (code, signal) => {
      this.#exit = new Error(`child ${child.pid} exited (code ${code}, signal ${signal}) with no message pending`);
      for (const w of this.#waiting.splice(0)) w.reject(this.#exit);
    });
  }

  next(): Promise<T> {
    const m = this.#queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.#exit !== undefined) return Promise.reject(this.#exit);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  send(m: unknown): void {
    this.child.send(m as never);
  }
}

/** Forks a fixture and returns its inbox. */
export const forkWithInbox = <T = unknown>(file: string, args: string[] = []): Inbox<T> => new Inbox<T>(forkFixture(file, args));

export function nextMessage<T = unknown>(child: ChildProcess, what = 'message'): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}, signal ${signal}) before sending ${what}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Polls `check` until it returns a value other than undefined; generous timeout, no speed claim. */
export async function pollUntil<T>(check: () => T | undefined, what: string, timeoutMs = 15_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const reg of registries) reg.close();
  registries.clear();
  for (const buffer of mappings) binding.close(buffer);
  mappings.clear();
  for (const name of names) Registry.unlink(name, { missingOk: true });
  names.clear();
});

// The cleanup above is itself under test: nothing of ours may stay in /dev/shm.
afterAll(() => {
  const ours = `-${process.pid}-`;
  const left = readdirSync('/dev/shm').filter((f) => f.startsWith('sm-test-') && f.includes(ours));
  expect(left, 'shm objects left behind by this test file').toEqual([]);
});
