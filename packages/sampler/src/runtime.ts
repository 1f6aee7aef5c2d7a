// Self-publishing: a sandbox runtime process that owns its slot and
// publishes it with no host (the seed's own use). Reserve, activate, sample
// until stopped or reclaimed, release.

import { Registry, type U64Input } from '@sandmeter/registry';
import type { Logger } from 'pino';
import { createActor, type Actor } from 'xstate';
import { requireIntervalMs, requirePid } from './errors.js';
import { refClock, unrefClock, type TimerClock } from './machine/clock.js';
import type { SamplerOutput } from './machine/types.js';
import { DEFAULT_INTERVAL_MS, samplerMachine } from './sampler.machine.js';
import { procfsSource } from './sources/procfs.js';
import type { MetricSource } from './sources/types.js';
import { systemCpuCount } from './system-info.js';

export interface PublishSelfOptions {
  /** A registry to publish into (left open), or its name (opened or created, closed at the end; default name when omitted). */
  registry?: Registry | string;
  /** Capacity when the registry is created here. */
  capacity?: number;
  sandboxId: number;
  /** The sandbox's name in the slot (UTF-8, at most 128 bytes). */
  name: string;
  runId: number;
  memoryLimitBytes?: U64Input;
  /** Owner pid written in the slot (default: this process). */
  pid?: number;
  /** Default: this process and its descendants from /proc. */
  source?: MetricSource;
  intervalMs?: number;
  /** CPU percent clamp (default: the CPUs this process may use). */
  maxCpus?: number;
  upperHostPath?: string;
  logger?: Logger;
  /** Let the sampler's timer keep the process alive (default false). */
  keepAlive?: boolean;
  /** Release the slot (as stale) if the process exits while publishing (default true). */
  releaseOnExit?: boolean;
  /** Timer clock (tests inject xstate's SimulatedClock). */
  clock?: TimerClock;
  /** Wall and monotonic clocks (tests tie them to the injected clock). */
  nowMs?: () => number;
  monotonicMs?: () => number;
}

export interface SelfPublisher {
  readonly slot: number;
  readonly generation: number;
  readonly actor: Actor<typeof samplerMachine>;
  /** Settles when the sampler ends, whoever ended it. */
  readonly done: Promise<SamplerOutput>;
  /** Change the sampling interval from now on. */
  setIntervalMs(intervalMs: number): void;
  /** Stop sampling and release the slot as stale; resolves with the sampler's output. */
  stop(): Promise<SamplerOutput>;
}

export function publishSelf(options: PublishSelfOptions): SelfPublisher {
  const intervalMs = requireIntervalMs(options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const pid = requirePid(options.pid ?? process.pid);
  const ownsRegistry = !(options.registry instanceof Registry);
  const registry =
    options.registry instanceof Registry
      ? options.registry
      : Registry.openOrCreate(options.registry, options.capacity === undefined ? {} : { capacity: options.capacity });

  let source: MetricSource | undefined;
  let reservation: { slot: number; generation: number } | undefined;
  try {
    source = options.source ?? procfsSource({ pid, tree: true });
    reservation = registry.reserve({
      sandboxId: options.sandboxId,
      name: options.name,
      ...(options.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: options.memoryLimitBytes }),
    });
    const writer = registry.activate({ ...reservation, runId: options.runId, pid });
    return start(writer, source, reservation);
  } catch (error) {
    // Leave nothing behind: no reserved slot, no open files, no mapping we opened.
    if (reservation !== undefined) {
      try {
        registry.releaseReserved(reservation);
      } catch {
        // Activated after all, or already gone: the error below is what matters.
      }
    }
    if (options.source === undefined) source?.close?.();
    if (ownsRegistry) registry.close();
    throw error;
  }

  function start(writer: ReturnType<Registry['activate']>, src: MetricSource, r: { slot: number; generation: number }): SelfPublisher {
    const actor = createActor(samplerMachine, {
      clock: options.clock ?? (options.keepAlive ? refClock : unrefClock),
      input: {
        writer,
        source: src,
        intervalMs,
        maxCpus: options.maxCpus ?? systemCpuCount(),
        ...(options.upperHostPath === undefined ? {} : { upperHostPath: options.upperHostPath }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
        ...(options.monotonicMs === undefined ? {} : { monotonicMs: options.monotonicMs }),
        logBindings: { sandboxId: options.sandboxId, runId: options.runId, slot: r.slot },
      },
    });
    // A synchronous STOP releases the slot even from an 'exit' handler.
    const onExit = (): void => actor.send({ type: 'STOP' });
    if (options.releaseOnExit ?? true) process.once('exit', onExit);
    const done = new Promise<SamplerOutput>((resolve, reject) => {
      actor.subscribe({
        complete: () => resolve(actor.getSnapshot().output as SamplerOutput),
        error: reject,
      });
    });
    const finish = (): void => {
      process.removeListener('exit', onExit);
      if (ownsRegistry) registry.close();
    };
    done.then(finish, finish);
    actor.start();
    return {
      slot: r.slot,
      generation: r.generation,
      actor,
      done,
      setIntervalMs(ms: number) {
        actor.send({ type: 'SET_INTERVAL', intervalMs: requireIntervalMs(ms) });
      },
      stop() {
        actor.send({ type: 'STOP' });
        return done;
      },
    };
  }
}
