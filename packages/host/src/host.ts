// The embeddable host: one registry mapping shared by every actor, the
// parent actor that spawns a sampler per sandbox, exit detection, and
// (optionally) the control API. `sandmeter host` is this plus signals.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import { Registry } from '@sandmeter/registry';
import { toReport } from '@sandmeter/reader';
import { CoalescingClock } from './coalescing-clock.js';
import { createActor, type Actor } from 'xstate';
import { countActors, type ActorCount } from './actor-count.js';
import { HostError } from './errors.js';
import { FleetHistory } from './fleet-history.js';
import { hostMachine, SAMPLER_PREFIX, type LifecycleNotice } from './host.machine.js';
import { DEFAULTS, type HostOptions } from './host-options.js';
import { createActorInspector, type ActorInspector } from './inspector.js';
import { silentLogger, type Logger } from './logger.js';
import { toMetricsView, type MetricsView } from './metrics-view.js';
import { isLive } from './sandbox-lifecycle.js';
import { claimSlot } from './claim-slot.js';
import { spawnProcess, type ExitInfo, type SpawnOptions } from './spawn-process.js';
import { terminate } from './terminate.js';
import type { SandboxRecord, SandboxRegistration } from './types.js';
import { checkRegistration } from './validate.js';
import { startApi, type ApiServer } from './http/server.js';

export interface HostHealth {
  status: 'ok' | 'stopping' | 'stopped';
  pid: number;
  uptimeMs: number;
  registry: { name: string; capacity: number; usage: ReturnType<Registry['usage']> };
  sandboxes: Record<SandboxRecord['status'], number>;
  actors: ActorCount;
}

export interface SpawnSandboxOptions extends Omit<SandboxRegistration, 'pid' | 'cgroup' | 'name'>, SpawnOptions {
  /** Default: the command's base name and the pid. */
  name?: string;
}

export interface SpawnedSandbox {
  record: SandboxRecord;
  child: ChildProcess;
  /** Settles with the process's exit status. */
  exited: Promise<ExitInfo>;
}

export interface HostEvents {
  lifecycle: [LifecycleNotice];
}

type HostActor = Actor<typeof hostMachine>;
type Phase = 'new' | 'running' | 'stopping' | 'stopped';

export class Host extends EventEmitter<HostEvents> {
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly #options: HostOptions;
  #phase: Phase = 'new';
  #registry: Registry | undefined;
  #ownsRegistry = false;
  #actor: HostActor | undefined;
  #inspector: ActorInspector | undefined;
  #api: ApiServer | undefined;
  readonly #history = new FleetHistory();
  #historyTimer: NodeJS.Timeout | undefined;
  readonly #spawned = new Map<number, ChildProcess>();
  #nextRunId = 1 + Math.floor(Math.random() * 0x3fffffff);
  #startedAt = 0;
  #stopping: Promise<void> | undefined;
  #lastRecords: SandboxRecord[] = [];

  constructor(options: HostOptions = {}) {
    super();
    this.#options = options;
    this.logger = options.logger ?? silentLogger();
    this.intervalMs = options.intervalMs ?? DEFAULTS.intervalMs;
  }

  get registry(): Registry {
    if (this.#registry === undefined) throw new HostError('SANDMETER_SHUTTING_DOWN', 503, 'the host is not started; call start() first');
    return this.#registry;
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** The unix socket and TCP address the API listens on (once started). */
  get addresses(): { socketPath: string | undefined; tcp: { host: string; port: number } | undefined } {
    return { socketPath: this.#api?.socketPath, tcp: this.#api?.tcp };
  }

  /** The root actor (for tests and embedding: inspect, subscribe). */
  get actor(): HostActor {
    if (this.#actor === undefined) throw new HostError('SANDMETER_SHUTTING_DOWN', 503, 'the host is not started; call start() first');
    return this.#actor;
  }

  async start(): Promise<this> {
    if (this.#phase !== 'new') throw new HostError('SANDMETER_USAGE', 400, 'a host starts once; create another one');
    const o = this.#options;
    if (o.registry instanceof Registry) {
      this.#registry = o.registry;
    } else {
      this.#registry = Registry.openOrCreate(o.registry, o.capacity === undefined ? {} : { capacity: o.capacity });
      this.#ownsRegistry = true;
    }
    this.#startedAt = Date.now();
    try {
      if (o.inspect !== undefined) this.#inspector = createActorInspector(o.inspect);
      const machine = hostMachine.provide({
        actions: {
          notify: (_, notice) => this.#onLifecycle(notice),
          releaseSlot: (_, { record, error }) => this.#releaseOrphan(record, error),
        },
      });
      this.#actor = createActor(machine, {
        input: {
          livenessPollMs: o.livenessPollMs ?? DEFAULTS.livenessPollMs,
          stopTimeoutMs: o.stopTimeoutMs ?? DEFAULTS.stopTimeoutMs,
          historyLimit: o.historyLimit ?? DEFAULTS.historyLimit,
        },
        clock: o.clock ?? new CoalescingClock(),
        ...(this.#inspector === undefined ? {} : { inspect: this.#inspector.inspect }),
      });
      this.#actor.subscribe({ error: (err) => this.logger.error({ err }, 'host actor failed') });
      this.#actor.start();
      this.#phase = 'running';
      this.#historyTimer = setInterval(() => this.#refreshHistory(), this.intervalMs);
      this.#historyTimer.unref();
      if (o.socketPath !== undefined || o.tcp !== undefined) {
        this.#api = await startApi(this, { socketPath: o.socketPath, tcp: o.tcp });
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.logger.info(
      {
        event: 'host.started',
        registry: this.#registry.name,
        capacity: this.#registry.capacity,
        socket: this.#api?.socketPath,
        tcp: this.#api?.tcp,
        inspect: o.inspect,
      },
      'host started',
    );
    return this;
  }

  /**
   * Starts sampling one sandbox. Throws HostError with SANDMETER_NAME_TAKEN
   * or SANDMETER_ID_TAKEN while a sandbox of that name or id runs (allowed
   * again once it ended), SANDMETER_PROCESS_NOT_FOUND / _CGROUP_NOT_FOUND for
   * a missing target, or the registry's errors (SANDMETER_REGISTRY_FULL).
   */
  register(registration: SandboxRegistration, how: { spawned?: boolean } = {}): SandboxRecord {
    const actor = this.#running();
    const reg = checkRegistration(registration);
    const live = this.#records().filter(isLive);
    const taken = live.find((r) => r.name === reg.name);
    if (taken !== undefined) {
      throw new HostError('SANDMETER_NAME_TAKEN', 409, `a sandbox named ${JSON.stringify(reg.name)} is ${taken.status} (id ${taken.id}); unregister it or pick another name`);
    }
    if (reg.id !== undefined && live.some((r) => r.id === reg.id)) {
      throw new HostError('SANDMETER_ID_TAKEN', 409, `sandbox id ${reg.id} is in use; unregister it or omit id to have one assigned`);
    }
    const id = reg.id ?? this.#freeId();
    const { record, writer, source } = claimSlot(this.registry, reg, {
      id,
      runId: this.#mintRunId(),
      spawned: how.spawned === true,
      defaultIntervalMs: this.intervalMs,
    });
    // A /proc source sees its process go at its next tick; poll only what it would miss or see late.
    const livenessPollMs = this.#options.livenessPollMs ?? DEFAULTS.livenessPollMs;
    const watch = !record.spawned && record.pid !== null && (record.cgroup !== null || record.intervalMs > livenessPollMs);
    actor.send({
      type: 'SANDBOX.REGISTER',
      record,
      watch,
      sampler: {
        writer,
        source,
        intervalMs: record.intervalMs,
        maxCpus: record.maxCpus,
        ...(reg.upperImagePath === undefined ? {} : { upperHostPath: reg.upperImagePath }),
        // Warnings only: the host logs the lifecycle itself, one line per change.
        logger: this.logger.child({ sandboxId: id, name: reg.name, slot: writer.slot }, { level: 'warn' }),
      },
    });
    return this.get(id) ?? record;
  }

  /** Spawns a command and registers it; its exit is seen at once, with its code. */
  async spawn(options: SpawnSandboxOptions): Promise<SpawnedSandbox> {
    this.#running();
    const { command, args, cwd, env, stdio, name, ...rest } = options;
    const proc = await spawnProcess({ command, ...(args ? { args } : {}), ...(cwd ? { cwd } : {}), ...(env ? { env } : {}), ...(stdio ? { stdio } : {}) });
    let record: SandboxRecord;
    try {
      record = this.register({ ...rest, name: name ?? `${basename(command)}-${proc.pid}`, pid: proc.pid }, { spawned: true });
    } catch (err) {
      proc.child.kill('SIGKILL');
      throw err;
    }
    const id = record.id;
    this.#spawned.set(id, proc.child);
    void proc.exited.then((info) => {
      this.#spawned.delete(id);
      if (this.#actor?.getSnapshot().status === 'active') {
        this.#actor.send({ type: 'SANDBOX.EXITED', id, exitCode: info.exitCode, signal: info.signal });
      }
    });
    return { record, child: proc.child, exited: proc.exited };
  }

  /** Stops sampling a sandbox; its slot keeps the last sample (stale). Resolves with the ended record. */
  async unregister(id: number): Promise<SandboxRecord> {
    const record = this.get(id);
    if (record === undefined) throw notFound(id);
    if (isLive(record) && this.#phase === 'running') this.#actor?.send({ type: 'SANDBOX.UNREGISTER', id });
    return this.waitForEnd(id);
  }

  /** Resolves once the sandbox is no longer running or stopping. */
  waitForEnd(id: number): Promise<SandboxRecord> {
    const now = this.get(id);
    if (now === undefined) return Promise.reject(notFound(id));
    if (!isLive(now) || this.#actor === undefined) return Promise.resolve(now);
    const actor = this.#actor;
    return new Promise((resolve) => {
      const check = (): boolean => {
        const r = this.get(id);
        if (r !== undefined && isLive(r) && actor.getSnapshot().status === 'active') return false;
        sub.unsubscribe();
        resolve(r ?? now);
        return true;
      };
      const sub = actor.subscribe({ next: check, complete: check, error: check });
      check();
    });
  }

  get(id: number): SandboxRecord | undefined {
    if (this.#actor === undefined) return this.#lastRecords.find((r) => r.id === id);
    return this.#actor.getSnapshot().context.sandboxes[String(id)];
  }

  /** Every sandbox the host knows, running and ended, by id. */
  list(): SandboxRecord[] {
    return this.#records().sort((a, b) => a.id - b.id);
  }

  /** The latest sample of one of the host's sandboxes (its own run, even after it exited). */
  metrics(id: number): MetricsView {
    const record = this.get(id);
    if (record === undefined) throw notFound(id);
    const rows = this.registry.snapshot();
    this.#history.update(rows);
    const row = rows.find((r) => r.slot === record.slot && r.runId === record.runId && r.sandboxId === record.id);
    if (row === undefined) {
      throw new HostError('SANDMETER_SANDBOX_NOT_FOUND', 404, `sandbox ${id} has no sample (not yet, or its slot was reused since)`);
    }
    return toMetricsView(toReport(row, Date.now(), record.intervalMs), this.#history.ratesOf(row));
  }

  /** Every row of the registry (this host's and other writers'), with state and rates. */
  fleet(): MetricsView[] {
    const rows = this.registry.snapshot();
    this.#history.update(rows);
    const now = Date.now();
    const intervals = new Map<string, number>();
    for (const r of this.#records()) intervals.set(`${r.slot}/${r.runId}`, r.intervalMs);
    return rows.map((row) => toMetricsView(toReport(row, now, intervals.get(`${row.slot}/${row.runId}`) ?? this.intervalMs), this.#history.ratesOf(row)));
  }

  actorCount(): ActorCount {
    if (this.#actor === undefined) return { total: 0, samplers: 0 };
    return countActors(this.#actor, SAMPLER_PREFIX);
  }

  health(): HostHealth {
    const sandboxes = { running: 0, stopping: 0, exited: 0, unregistered: 0 };
    for (const r of this.#records()) sandboxes[r.status]++;
    const registry = this.registry;
    return {
      status: this.#phase === 'running' ? 'ok' : this.#phase === 'stopped' ? 'stopped' : 'stopping',
      pid: process.pid,
      uptimeMs: Date.now() - this.#startedAt,
      registry: { name: registry.name, capacity: registry.capacity, usage: registry.usage() },
      sandboxes,
      actors: this.actorCount(),
    };
  }

  /**
   * Graceful stop: every sampler stops and releases its slot as stale (the
   * last sample stays readable), spawned processes are terminated, the API
   * closes and its socket is removed, the mapping is closed. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const wasRunning = this.#phase === 'running';
    this.#phase = 'stopping';
    if (wasRunning) this.logger.info({ event: 'host.stopping' }, 'host stopping');
    if (this.#historyTimer !== undefined) clearInterval(this.#historyTimer);
    await this.#api?.close();
    const actor = this.#actor;
    if (actor !== undefined && actor.getSnapshot().status === 'active') {
      const done = new Promise<void>((resolve) => {
        actor.subscribe({ complete: resolve, error: () => resolve() });
      });
      actor.send({ type: 'HOST.STOP' });
      await done;
      this.#lastRecords = Object.values(actor.getSnapshot().context.sandboxes);
    }
    if (this.#options.killSpawnedOnStop ?? true) await terminate(this.#spawned.values(), this.#options.killGraceMs ?? DEFAULTS.killGraceMs);
    if (this.#inspector !== undefined) {
      // Let the last inspection events (deferred by a timer) go out first.
      await new Promise((r) => setTimeout(r, 50));
      this.#inspector.stop();
    }
    const registry = this.#registry;
    const usage = registry !== undefined && !registry.closed ? registry.usage() : undefined;
    if (registry !== undefined && this.#ownsRegistry) {
      registry.close();
      if (this.#options.unlinkRegistryOnStop === true && registry.created) Registry.unlink(registry.name, { missingOk: true });
    }
    this.#actor = undefined;
    this.#phase = 'stopped';
    this.logger.info({ event: 'host.stopped', usage, registry: registry?.name }, 'host stopped');
  }

  #running(): HostActor {
    if (this.#phase !== 'running' || this.#actor === undefined) {
      throw new HostError('SANDMETER_SHUTTING_DOWN', 503, this.#phase === 'new' ? 'the host is not started yet' : 'the host is shutting down; register with another host');
    }
    return this.#actor;
  }

  #records(): SandboxRecord[] {
    if (this.#actor === undefined) return [...this.#lastRecords];
    return Object.values(this.#actor.getSnapshot().context.sandboxes);
  }

  /** Lowest id not held by one of our records nor by any row in the registry. */
  #freeId(): number {
    const used = new Set<number>();
    for (const r of this.#records()) used.add(r.id);
    for (const row of this.registry.snapshot()) used.add(row.sandboxId);
    let id = 1;
    while (used.has(id)) id++;
    return id;
  }

  #mintRunId(): number {
    const id = this.#nextRunId;
    this.#nextRunId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  #refreshHistory(): void {
    try {
      if (this.#registry !== undefined && !this.#registry.closed) this.#history.update(this.#registry.snapshot());
    } catch (err) {
      this.logger.warn({ err }, 'failed to read the registry for rates');
    }
  }

  #onLifecycle(notice: LifecycleNotice): void {
    const r = notice.record;
    this.logger.info(
      {
        event: `sandbox.${notice.change}`,
        sandbox: { id: r.id, name: r.name, pid: r.pid, cgroup: r.cgroup, slot: r.slot, runId: r.runId },
        status: r.status,
        ...(r.end === null ? {} : { reason: r.end.reason, exitCode: r.end.exitCode, signal: r.end.signal }),
        ...(r.samplesWritten === null ? {} : { samplesWritten: r.samplesWritten }),
      },
      `sandbox ${r.name} ${notice.change}`,
    );
    this.emit('lifecycle', notice);
  }

  #releaseOrphan(record: SandboxRecord, error: unknown): void {
    if (error !== undefined) this.logger.error({ err: error, sandboxId: record.id }, 'sampler failed');
    try {
      this.#registry?.release(record.slot, record.generation, 'stale');
    } catch {
      // The slot moved on already (reclaimed, or released by the sampler).
    }
  }
}

function notFound(id: number): HostError {
  return new HostError('SANDMETER_SANDBOX_NOT_FOUND', 404, `no sandbox with id ${id}; list them with GET /v1/sandboxes`);
}

/** Creates a host; call start() to open the registry and begin. */
export function createHost(options: HostOptions = {}): Host {
  return new Host(options);
}
