// The host's parent actor: one sampler child per registered sandbox,
// spawned on SANDBOX.REGISTER and told to STOP when the sandbox exits or is
// unregistered; a liveness child watches pids the host did not spawn. On
// HOST.STOP every sampler is stopped (each releases its slot as stale) and
// the machine ends once none is left (or after a timeout).
//
// Registry work (reserve, activate) happens before REGISTER is sent, so the
// context holds plain records only: what the inspector shows.
import { assign, enqueueActions, raise, setup, spawnChild } from 'xstate';
import type { DoneActorEvent, ErrorActorEvent } from 'xstate';
import { samplerMachine } from '@sandmeter/sampler';
import type { SamplerInput } from '@sandmeter/sampler';
import { livenessLogic, pidExists, type ProcessGoneEvent } from './liveness.actor.js';
import { end, isLive, toEnded, toStopping, withExitStatus, type SamplerEnd } from './sandbox-lifecycle.js';
import type { SandboxRecord } from './types.js';

export const SAMPLER_PREFIX = 'sampler-';
export const samplerActorId = (id: number): string => `${SAMPLER_PREFIX}${id}`;

export interface HostMachineInput {
  /** How often pids the host did not spawn are checked, ms. */
  livenessPollMs: number;
  /** How long HOST.STOP waits for samplers to finish before giving up on them, ms. */
  stopTimeoutMs: number;
  /** Ended sandboxes kept in the list (oldest dropped first). */
  historyLimit: number;
}

export interface HostContext extends HostMachineInput {
  sandboxes: Record<string, SandboxRecord>;
}

export type LifecycleChange = 'registered' | 'stopping' | 'exited' | 'unregistered' | 'ended';

export interface LifecycleNotice {
  change: LifecycleChange;
  record: SandboxRecord;
}

export type HostEvent =
  /** watch: poll the pid for exit (the host did not spawn it and its source would not notice soon enough). */
  | { type: 'SANDBOX.REGISTER'; record: SandboxRecord; sampler: SamplerInput; watch: boolean }
  | { type: 'SANDBOX.UNREGISTER'; id: number }
  | { type: 'SANDBOX.EXITED'; id: number; exitCode: number | null; signal: string | null }
  | ProcessGoneEvent
  | { type: 'HOST.STOP' }
  /** Internal: a sampler child reached a final state (failed: it threw). */
  | { type: 'SAMPLER.ENDED'; actorId: string; output: SamplerEnd | undefined; failed: boolean; error?: unknown };

export interface HostOutput {
  sandboxes: SandboxRecord[];
}

type RegisterEvent = Extract<HostEvent, { type: 'SANDBOX.REGISTER' }>;
// spawnChild's callbacks are not narrowed to the transition's event.
const asRegister = (event: HostEvent): RegisterEvent => event as RegisterEvent;

const samplerIdOf = (actorId: string): number | undefined =>
  actorId.startsWith(SAMPLER_PREFIX) ? Number(actorId.slice(SAMPLER_PREFIX.length)) : undefined;

function withRecord(context: HostContext, record: SandboxRecord): Record<string, SandboxRecord> {
  return { ...context.sandboxes, [String(record.id)]: record };
}

/** Drops the oldest ended records past the history limit. */
function pruned(sandboxes: Record<string, SandboxRecord>, limit: number): Record<string, SandboxRecord> {
  const ended = Object.values(sandboxes).filter((r) => !isLive(r));
  if (ended.length <= limit) return sandboxes;
  ended.sort((a, b) => (a.end?.atMs ?? 0) - (b.end?.atMs ?? 0));
  const out = { ...sandboxes };
  for (const r of ended.slice(0, ended.length - limit)) delete out[String(r.id)];
  return out;
}

export const hostMachine = setup({
  types: {
    input: {} as HostMachineInput,
    context: {} as HostContext,
    events: {} as HostEvent,
    output: {} as HostOutput,
  },
  actors: { sampler: samplerMachine, liveness: livenessLogic },
  actions: {
    // Provided by the host: one structured log line and one event per change.
    notify: (_, _notice: LifecycleNotice) => {},
    // Provided by the host: release the slot of a sampler that failed (it could not).
    releaseSlot: (_, _params: { record: SandboxRecord; error?: unknown }) => {},
  },
  delays: {
    stopTimeout: ({ context }) => context.stopTimeoutMs,
  },
  guards: {
    noSamplersLeft: ({ context }) => !Object.values(context.sandboxes).some(isLive),
  },
}).createMachine({
  id: 'host',
  context: ({ input }) => ({ ...input, sandboxes: {} }),
  initial: 'running',
  // For the whole life of the host, so any state may WATCH / UNWATCH.
  invoke: { id: 'liveness', src: 'liveness', input: ({ context }) => ({ pollMs: context.livenessPollMs }) },
  on: {
    // In every state: samplers end, and spawned processes exit.
    // Both kinds of end become one internal event with one handler.
    'xstate.done.actor.*': {
      actions: raise(({ event }) => {
        const e = event as unknown as DoneActorEvent<SamplerEnd>;
        return { type: 'SAMPLER.ENDED' as const, actorId: e.actorId, output: e.output, failed: false };
      }),
    },
    'xstate.error.actor.*': {
      actions: raise(({ event }) => {
        const e = event as unknown as ErrorActorEvent;
        return { type: 'SAMPLER.ENDED' as const, actorId: e.actorId, output: undefined, failed: true, error: e.error };
      }),
    },
    'SAMPLER.ENDED': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const id = samplerIdOf(event.actorId);
        if (id === undefined) return;
        // A finished child stays in the children map until stopped: drop it, or the map grows with every sandbox ever seen.
        enqueue.stopChild(event.actorId);
        const record = context.sandboxes[String(id)];
        if (record === undefined || !isLive(record)) return;
        const next = toEnded(record, event.output, record.pid === null || pidExists(record.pid), Date.now());
        enqueue.assign({ sandboxes: pruned(withRecord(context, next), context.historyLimit) });
        enqueue.sendTo('liveness', { type: 'UNWATCH', id });
        if (event.failed) enqueue({ type: 'releaseSlot', params: { record: next, error: event.error } });
        enqueue({ type: 'notify', params: { change: next.status === 'unregistered' ? 'unregistered' : 'exited', record: next } });
      }),
    },
    'SANDBOX.EXITED': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const record = context.sandboxes[String(event.id)];
        if (record === undefined) return;
        if (record.status === 'running') {
          const next = toStopping(record, end('exited', Date.now(), event.exitCode, event.signal));
          enqueue.assign({ sandboxes: withRecord(context, next) });
          enqueue.sendTo(samplerActorId(event.id), { type: 'STOP' });
        } else if (!isLive(record)) {
          enqueue.assign({ sandboxes: withRecord(context, withExitStatus(record, event.exitCode, event.signal, Date.now())) });
        }
      }),
    },
  },
  states: {
    running: {
      on: {
        'SANDBOX.REGISTER': {
          actions: [
            assign({ sandboxes: ({ context, event }) => withRecord(context, event.record) }),
            spawnChild('sampler', {
              id: ({ event }) => samplerActorId(asRegister(event).record.id),
              input: ({ event }) => asRegister(event).sampler,
            }),
            enqueueActions(({ event, enqueue }) => {
              const r = event.record;
              if (event.watch && r.pid !== null) enqueue.sendTo('liveness', { type: 'WATCH', id: r.id, pid: r.pid });
              enqueue({ type: 'notify', params: { change: 'registered', record: r } });
            }),
          ],
        },
        'SANDBOX.UNREGISTER': {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const record = context.sandboxes[String(event.id)];
            if (record === undefined || record.status !== 'running') return;
            const next = toStopping(record, end('unregistered', Date.now()));
            enqueue.assign({ sandboxes: withRecord(context, next) });
            enqueue.sendTo('liveness', { type: 'UNWATCH', id: event.id });
            enqueue.sendTo(samplerActorId(event.id), { type: 'STOP' });
            enqueue({ type: 'notify', params: { change: 'stopping', record: next } });
          }),
        },
        'PROCESS.GONE': {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const record = context.sandboxes[String(event.id)];
            if (record === undefined || record.status !== 'running' || record.pid !== event.pid) return;
            const next = toStopping(record, end('gone', Date.now()));
            enqueue.assign({ sandboxes: withRecord(context, next) });
            enqueue.sendTo(samplerActorId(event.id), { type: 'STOP' });
          }),
        },
        'HOST.STOP': { target: 'stopping' },
      },
    },
    stopping: {
      entry: enqueueActions(({ context, enqueue }) => {
        let sandboxes = context.sandboxes;
        for (const record of Object.values(context.sandboxes)) {
          if (record.status !== 'running') continue;
          sandboxes = { ...sandboxes, [String(record.id)]: toStopping(record, end('shutdown', Date.now())) };
          enqueue.sendTo(samplerActorId(record.id), { type: 'STOP' });
        }
        enqueue.assign({ sandboxes });
      }),
      always: { guard: 'noSamplersLeft', target: 'stopped' },
      after: {
        stopTimeout: {
          target: 'stopped',
          // Samplers that did not finish in time: release their slots here.
          actions: enqueueActions(({ context, enqueue }) => {
            let sandboxes = context.sandboxes;
            for (const record of Object.values(context.sandboxes)) {
              if (!isLive(record)) continue;
              const next = toEnded(record, undefined, true, Date.now());
              sandboxes = { ...sandboxes, [String(record.id)]: next };
              enqueue.stopChild(samplerActorId(record.id));
              enqueue({ type: 'releaseSlot', params: { record: next } });
              enqueue({ type: 'notify', params: { change: 'ended', record: next } });
            }
            enqueue.assign({ sandboxes });
          }),
        },
      },
    },
    stopped: { type: 'final' },
  },
  output: ({ context }) => ({ sandboxes: Object.values(context.sandboxes) }),
});

export type HostMachine = typeof hostMachine;
