// Streams the actor system (the host and every sampler) to a WebSocket
// inspector with @statelyai/inspect. Contexts hold live objects (slot
// writers, sources, loggers); only their plain data is sent, so a snapshot
// stays small and never serializes a logger's internals.
import { createWebSocketInspector } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { HostError } from './errors.js';

export interface ActorInspector {
  /** Pass as `inspect` to createActor. */
  readonly inspect: Observer<InspectionEvent>;
  readonly url: string;
  stop(): void;
}

const MAX_DEPTH = 5;

/** JSON-plain data only: functions dropped, class instances named, depth bounded. */
export function plainData(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return undefined;
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => plainData(v, depth + 1) ?? null);
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto !== Object.prototype && proto !== null) return `[${proto.constructor?.name ?? 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = plainData(v, depth + 1);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

interface SnapshotLike {
  status?: unknown;
  value?: unknown;
  context?: unknown;
  output?: unknown;
  error?: unknown;
}

export function checkInspectUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HostError('SANDMETER_USAGE', 400, `--inspect needs a WebSocket URL like ws://127.0.0.1:8080, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new HostError('SANDMETER_USAGE', 400, `--inspect needs a ws:// or wss:// URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

export function createActorInspector(url: string): ActorInspector {
  checkInspectUrl(url);
  const inspector = createWebSocketInspector({
    url,
    // Events sent before the socket opens are kept (the default 200 loses a busy start).
    maxDeferredEvents: 10_000,
    sanitizeContext: (context) => plainData(context) as Record<string, unknown>,
    sanitizeEvent: (event) => plainData(event) as { type: string },
  });
  const inspect: Observer<InspectionEvent> = {
    next(event) {
      if (event.type === '@xstate.snapshot') {
        // Replace the live snapshot before the inspector serializes it.
        const s = event.snapshot as SnapshotLike;
        const snapshot = { status: s.status, value: s.value, context: plainData(s.context), output: plainData(s.output), error: plainData(s.error) };
        inspector.inspect.next?.({ ...event, snapshot } as unknown as InspectionEvent);
        return;
      }
      inspector.inspect.next?.(event);
    },
  };
  return { inspect, url, stop: () => inspector.stop() };
}
