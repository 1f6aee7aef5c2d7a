// Counting live actors under a root, so a leak (a sampler that outlived its
// sandbox) shows up in /healthz and in tests.
import type { AnyActorRef } from 'xstate';

export interface ActorCount {
  /** Every live actor, the root included. */
  total: number;
  /** Sampler actors (children of the root named sampler-<id>). */
  samplers: number;
}

function walk(ref: AnyActorRef): number {
  const snap = ref.getSnapshot() as { status?: string; children?: Record<string, AnyActorRef | undefined> };
  if (snap.status !== 'active') return 0;
  let n = 1;
  for (const child of Object.values(snap.children ?? {})) if (child !== undefined) n += walk(child);
  return n;
}

export function countActors(root: AnyActorRef, samplerPrefix: string): ActorCount {
  const snap = root.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> };
  let samplers = 0;
  for (const [id, child] of Object.entries(snap.children ?? {})) {
    if (child !== undefined && id.startsWith(samplerPrefix) && (child.getSnapshot() as { status?: string }).status === 'active') samplers++;
  }
  return { total: walk(root), samplers };
}
