// Exit detection for processes the host did not spawn (it gets no 'exit'
// event for them): one actor polls every watched pid with kill(pid, 0) and
// reports the ones that are gone. One syscall per pid per poll, ~1 µs each.
import { fromCallback } from 'xstate';

export type LivenessEvent = { type: 'WATCH'; id: number; pid: number } | { type: 'UNWATCH'; id: number };

export interface LivenessInput {
  pollMs: number;
}

export interface ProcessGoneEvent {
  type: 'PROCESS.GONE';
  id: number;
  pid: number;
}

/** True while a process with this pid exists (EPERM: it exists, owned by someone else). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const livenessLogic = fromCallback<LivenessEvent, LivenessInput, ProcessGoneEvent>(({ input, receive, sendBack }) => {
  const watched = new Map<number, number>();
  receive((event) => {
    if (event.type === 'WATCH') watched.set(event.id, event.pid);
    else watched.delete(event.id);
  });
  const timer = setInterval(() => {
    for (const [id, pid] of watched) {
      if (pidExists(pid)) continue;
      watched.delete(id);
      sendBack({ type: 'PROCESS.GONE', id, pid });
    }
  }, input.pollMs);
  // The host's own lifetime is held by its servers and samplers, not by this poll.
  timer.unref();
  return () => clearInterval(timer);
});
