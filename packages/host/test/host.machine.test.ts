// The host's parent actor on a simulated clock: the real sampler machine,
// a real registry, and callback sources whose readings the test controls.
import { Registry } from '@sandmeter/registry';
import { callbackSource, SANDBOX_GONE, type Metrics } from '@sandmeter/sampler';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromCallback, SimulatedClock, type Actor } from 'xstate';
import { hostMachine, samplerActorId, type LifecycleNotice } from '../src/host.machine.js';
import { silentLogger } from '../src/logger.js';
import type { SandboxRecord } from '../src/types.js';
import { uniqueName } from './helpers.js';

const INTERVAL = 1000;
const EPOCH = Date.now();
let registry: Registry | undefined;
const actors: Actor<typeof hostMachine>[] = [];

afterEach(() => {
  for (const a of actors.splice(0)) a.stop();
  registry?.close();
  registry = undefined;
});

interface Fixture {
  actor: Actor<typeof hostMachine>;
  clock: SimulatedClock;
  registry: Registry;
  notices: LifecycleNotice[];
  released: SandboxRecord[];
  /** Registers sandbox `id` whose source returns what `read` returns. */
  register(id: number, read?: () => Metrics | typeof SANDBOX_GONE): SandboxRecord;
}

function start(machine = hostMachine, stopTimeoutMs = 5000): Fixture {
  registry = Registry.openOrCreate(uniqueName('machine'), { capacity: 8 });
  const reg = registry;
  const clock = new SimulatedClock();
  const notices: LifecycleNotice[] = [];
  const released: SandboxRecord[] = [];
  const actor = createActor(
    machine.provide({
      actions: {
        notify: (_, n) => notices.push(n),
        releaseSlot: (_, { record }) => released.push(record),
      },
    }),
    { clock, input: { livenessPollMs: 60_000, stopTimeoutMs, historyLimit: 100 } },
  );
  actors.push(actor);
  actor.start();
  let cpu = 0;
  return {
    actor,
    clock,
    registry: reg,
    notices,
    released,
    register(id, read = () => ({ cpuTimeNs: (cpu += 5e8), memoryBytes: 1000 * id })) {
      const r = reg.reserve({ sandboxId: id, name: `sb-${id}` });
      const writer = reg.activate({ ...r, runId: 100 + id });
      const record: SandboxRecord = {
        id,
        name: `sb-${id}`,
        pid: null,
        cgroup: null,
        spawned: false,
        status: 'running',
        slot: r.slot,
        generation: r.generation,
        runId: 100 + id,
        startedAtMs: Date.now(),
        intervalMs: INTERVAL,
        maxCpus: 2,
        memoryLimitBytes: 0,
        upperImagePath: null,
        labels: {},
        end: null,
        samplesWritten: null,
      };
      const source = callbackSource({ fields: ['cpuTimeNs', 'memoryBytes'], read });
      actor.send({
        type: 'SANDBOX.REGISTER',
        record,
        watch: false,
        sampler: { writer, source, intervalMs: INTERVAL, maxCpus: 2, logger: silentLogger(), nowMs: () => EPOCH + clock.now(), monotonicMs: () => clock.now() },
      });
      return record;
    },
  };
}

const recordOf = (f: Fixture, id: number) => f.actor.getSnapshot().context.sandboxes[String(id)];
const children = (f: Fixture) => Object.keys(f.actor.getSnapshot().children).sort();

describe('the host machine', () => {
  it('spawns one sampler per registered sandbox, which writes its first sample at once', () => {
    const f = start();
    f.register(1);
    f.register(2);
    expect(children(f)).toEqual(['liveness', samplerActorId(1), samplerActorId(2)]);
    expect(f.registry.snapshot().map((r) => [r.sandboxId, r.memoryBytes])).toEqual([
      [1, 1000],
      [2, 2000],
    ]);
    expect(f.notices.map((n) => [n.change, n.record.id])).toEqual([
      ['registered', 1],
      ['registered', 2],
    ]);
  });

  it('keeps sampling on the interval of the injected clock', () => {
    const f = start();
    const r = f.register(1);
    const first = f.registry.read(r.slot)?.sampledAtMs;
    f.clock.increment(INTERVAL);
    f.clock.increment(INTERVAL);
    const row = f.registry.read(r.slot);
    expect(row?.sampledAtMs).toBe((first ?? 0) + 2 * INTERVAL);
    expect(row?.cpuPercent).toBeCloseTo(50, 5);
  });

  it('on UNREGISTER stops the sampler, which leaves the slot stale; the record says unregistered', () => {
    const f = start();
    const r = f.register(1);
    f.actor.send({ type: 'SANDBOX.UNREGISTER', id: 1 });
    expect(recordOf(f, 1)).toMatchObject({ status: 'unregistered', end: { reason: 'unregistered' }, samplesWritten: 1 });
    expect(children(f)).toEqual(['liveness']);
    expect(f.registry.read(r.slot)?.state).toBe('stale');
    expect(f.notices.map((n) => n.change)).toEqual(['registered', 'stopping', 'unregistered']);
  });

  it('marks a sandbox exited when its source says it is gone', () => {
    let alive = true;
    const f = start();
    const r = f.register(1, () => (alive ? { memoryBytes: 1 } : SANDBOX_GONE));
    alive = false;
    f.clock.increment(INTERVAL);
    expect(recordOf(f, 1)).toMatchObject({ status: 'exited', end: { reason: 'gone' } });
    expect(f.registry.read(r.slot)?.state).toBe('stale');
    expect(children(f)).toEqual(['liveness']);
  });

  it('marks a sandbox reclaimed when its slot is taken back, and releases nothing', () => {
    const f = start();
    const r = f.register(1);
    f.registry.release(r.slot, r.generation, 'free');
    f.clock.increment(INTERVAL);
    expect(recordOf(f, 1)).toMatchObject({ status: 'exited', end: { reason: 'reclaimed' } });
    expect(f.released).toEqual([]);
    expect(f.registry.usage()).toMatchObject({ active: 0, stale: 0 });
  });

  it('keeps the exit code of a spawned process (SANDBOX.EXITED)', () => {
    const f = start();
    f.register(1);
    f.actor.send({ type: 'SANDBOX.EXITED', id: 1, exitCode: 7, signal: null });
    expect(recordOf(f, 1)).toMatchObject({ status: 'exited', end: { reason: 'exited', exitCode: 7 } });
    // Events about unknown or ended sandboxes change nothing.
    const before = f.actor.getSnapshot().context;
    f.actor.send({ type: 'SANDBOX.UNREGISTER', id: 1 });
    f.actor.send({ type: 'SANDBOX.UNREGISTER', id: 42 });
    f.actor.send({ type: 'SANDBOX.EXITED', id: 42, exitCode: 0, signal: null });
    expect(f.actor.getSnapshot().context).toEqual(before);
  });

  it('on HOST.STOP stops every sampler and ends with every record and every slot released as stale', () => {
    const f = start();
    f.register(1);
    f.register(2);
    f.clock.increment(INTERVAL);
    f.actor.send({ type: 'HOST.STOP' });
    const snap = f.actor.getSnapshot();
    expect(snap.status).toBe('done');
    expect(snap.output?.sandboxes.map((r) => [r.id, r.status, r.end?.reason])).toEqual([
      [1, 'exited', 'shutdown'],
      [2, 'exited', 'shutdown'],
    ]);
    expect(f.registry.usage()).toMatchObject({ active: 0, reserved: 0, stale: 2 });
  });

  it('gives up on a sampler that does not stop in time and releases its slot itself', () => {
    // A sampler stuck forever, swapped in with provide().
    const stuck = hostMachine.provide({ actors: { sampler: fromCallback(() => () => undefined) as never } });
    const f = start(stuck, 3000);
    f.register(1);
    f.actor.send({ type: 'HOST.STOP' });
    expect(f.actor.getSnapshot().value).toBe('stopping');
    f.clock.increment(3000);
    expect(f.actor.getSnapshot().status).toBe('done');
    expect(f.released.map((r) => [r.id, r.status])).toEqual([[1, 'exited']]);
  });

  it('records a sampler that fails as failed and releases its slot', () => {
    const failing = hostMachine.provide({
      actors: {
        sampler: fromCallback(() => {
          throw new Error('boom');
        }) as never,
      },
    });
    const f = start(failing);
    f.register(1);
    expect(recordOf(f, 1)).toMatchObject({ status: 'exited', end: { reason: 'failed' } });
    expect(f.released.map((r) => r.id)).toEqual([1]);
    expect(f.actor.getSnapshot().status).toBe('active');
  });
});
