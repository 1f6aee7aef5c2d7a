// The per-sandbox sampler: initial -> sampling -> (reclaimed | stopped).
//
// initial   writes the first sample at once (no CPU percent: nothing to compare with).
// sampling  samples every intervalMs: entering it tells the sample port to
//           sample on that interval (on the actor system's clock, so an injected
//           clock drives it), and each sample arrives as one outcome event: one
//           macrostep per tick. SET_INTERVAL changes the interval at run time.
// reclaimed someone else owns the slot now: never write again.
// stopped   STOP, or the source says the sandbox is gone: release as stale so
//           the last sample stays readable.
// All I/O happens in the `samplePort` actor and in named actions.

import { assign, sendTo, setup } from 'xstate';
import { isValidIntervalMs } from './errors.js';
import { DEFAULT_BRACKET_TOLERANCE } from './math/pairing-bracket.js';
import { defaultLogger } from './machine/default-logger.js';
import { samplePort } from './machine/sample-port.js';
import { nextWindow } from './machine/window.js';
import type { SampleOutcome, SamplerContext, SamplerEvent, SamplerInput, SamplerOutput } from './machine/types.js';

export const DEFAULT_INTERVAL_MS = 1000;

function initialContext(input: SamplerInput): SamplerContext {
  const base = input.logger ?? defaultLogger();
  return {
    writer: input.writer,
    source: input.source,
    intervalMs: isValidIntervalMs(input.intervalMs) ? input.intervalMs : DEFAULT_INTERVAL_MS,
    maxCpus: input.maxCpus,
    upperHostPath: input.upperHostPath,
    logger: input.logBindings ? base.child(input.logBindings) : base,
    nowMs: input.nowMs ?? Date.now,
    monotonicMs: input.monotonicMs ?? (() => performance.now()),
    bracketTolerance: input.bracketTolerance ?? DEFAULT_BRACKET_TOLERANCE,
    previous: undefined,
    lastTrustedCpu: undefined,
    samplesWritten: 0,
    sampleErrors: 0,
    endReason: undefined,
    goneReason: undefined,
  };
}

/** Advance the window start and the carried CPU percent after a reading (as the port does). */
function afterReading(context: SamplerContext, event: SampleOutcome): Partial<SamplerContext> {
  const next = nextWindow(context, event);
  return next === context ? {} : { previous: next.previous, lastTrustedCpu: next.lastTrustedCpu };
}

export const samplerMachine = setup({
  types: {
    input: {} as SamplerInput,
    context: {} as SamplerContext,
    events: {} as SamplerEvent,
    output: {} as SamplerOutput,
  },
  actors: { samplePort },
  actions: {
    requestSample: sendTo('port', ({ context }) => ({
      type: 'port.sample' as const,
      intervalMs: context.intervalMs,
      previous: context.previous,
      lastTrustedCpu: context.lastTrustedCpu,
    })),
    sampleEveryInterval: sendTo('port', ({ context }) => ({ type: 'port.every' as const, intervalMs: context.intervalMs })),
    recordSample: assign(({ context, event }) => {
      if (event.type !== 'sample.written') return {};
      return { ...afterReading(context, event), samplesWritten: context.samplesWritten + 1 };
    }),
    recordFailure: assign(({ context, event }) => {
      if (event.type !== 'sample.failed') return {};
      return { ...afterReading(context, event), sampleErrors: context.sampleErrors + 1 };
    }),
    logSampleError: ({ context, event }) => {
      if (event.type !== 'sample.failed') return;
      context.logger.warn(
        { err: event.error, stage: event.stage, sampleErrors: context.sampleErrors },
        event.stage === 'read' ? 'failed to read sandbox metrics; will retry' : 'failed to write sandbox metrics; will retry',
      );
    },
    setInterval: assign({
      intervalMs: ({ context, event }) => (event.type === 'SET_INTERVAL' ? event.intervalMs : context.intervalMs),
    }),
    logBadInterval: ({ context, event }) => {
      if (event.type !== 'SET_INTERVAL') return;
      context.logger.warn({ intervalMs: event.intervalMs }, 'ignored SET_INTERVAL: intervalMs must be 1 .. 2^31-1 ms');
    },
    markStopped: assign({ endReason: 'stopped' as const }),
    markGone: assign({
      endReason: 'gone' as const,
      goneReason: ({ event }) => (event.type === 'sample.gone' ? event.reason : undefined),
    }),
    markReclaimed: assign({ endReason: 'reclaimed' as const }),
    logReclaimed: ({ context }) => {
      context.logger.info(
        { samplesWritten: context.samplesWritten },
        context.samplesWritten === 0 ? 'metrics slot reclaimed before first sample; stopping sampler' : 'metrics slot reclaimed; stopping sampler',
      );
    },
    releaseSlot: ({ context }) => {
      // Nothing was ever published: free the slot rather than keep an empty stale one.
      const mode = context.samplesWritten > 0 ? 'stale' : 'free';
      try {
        context.writer.release(mode);
      } catch (err) {
        context.logger.warn({ err, mode }, 'failed to release the metrics slot');
      }
      context.logger.info(
        { reason: context.endReason, goneReason: context.goneReason, samplesWritten: context.samplesWritten },
        'sampler stopped',
      );
    },
    closeSource: ({ context }) => {
      try {
        context.source.close?.();
      } catch (err) {
        context.logger.warn({ err }, 'failed to close the metric source');
      }
    },
  },
  guards: {
    validInterval: ({ event }) => event.type === 'SET_INTERVAL' && isValidIntervalMs(event.intervalMs),
  },
}).createMachine({
  id: 'sampler',
  context: ({ input }) => initialContext(input),
  invoke: {
    id: 'port',
    src: 'samplePort',
    input: ({ context }) => ({
      writer: context.writer,
      source: context.source,
      maxCpus: context.maxCpus,
      upperHostPath: context.upperHostPath,
      nowMs: context.nowMs,
      monotonicMs: context.monotonicMs,
      bracketTolerance: context.bracketTolerance,
    }),
  },
  initial: 'initial',
  on: {
    STOP: { target: '.stopped', actions: 'markStopped' },
    SET_INTERVAL: [{ guard: 'validInterval', actions: 'setInterval' }, { actions: 'logBadInterval' }],
  },
  states: {
    initial: {
      entry: 'requestSample',
      on: {
        'sample.written': { target: 'sampling', actions: 'recordSample' },
        'sample.failed': { target: 'sampling', actions: ['recordFailure', 'logSampleError'] },
        'sample.reclaimed': { target: 'reclaimed' },
        'sample.gone': { target: 'stopped', actions: 'markGone' },
      },
    },
    sampling: {
      entry: 'sampleEveryInterval',
      on: {
        'sample.written': { actions: 'recordSample' },
        'sample.failed': { actions: ['recordFailure', 'logSampleError'] },
        'sample.reclaimed': { target: 'reclaimed' },
        'sample.gone': { target: 'stopped', actions: 'markGone' },
        // Re-enter so the new interval applies from now, not after the old one runs out.
        SET_INTERVAL: [
          { guard: 'validInterval', target: 'sampling', reenter: true, actions: 'setInterval' },
          { actions: 'logBadInterval' },
        ],
      },
    },
    reclaimed: {
      type: 'final',
      entry: ['markReclaimed', 'logReclaimed', 'closeSource'],
    },
    stopped: {
      type: 'final',
      entry: ['releaseSlot', 'closeSource'],
    },
  },
  output: ({ context }) => ({ reason: context.endReason ?? 'stopped', samplesWritten: context.samplesWritten }),
});

export type SamplerMachine = typeof samplerMachine;
