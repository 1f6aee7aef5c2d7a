// --inspect: a local WebSocket server stands in for the Stately inspector
// and must receive the host's and the samplers' actors and snapshots.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { plainData } from '../src/inspector.js';
import { sleeper, startHost, until } from './helpers.js';

interface Received {
  type: string;
  name?: string;
  sessionId: string;
  parentId?: string;
  snapshot?: { value?: unknown; status?: string; context?: Record<string, unknown> };
  event?: { type: string };
}

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

function listen(): Promise<{ url: string; messages: Received[] }> {
  const messages: Received[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  wss.on('connection', (ws) => ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Received)));
  return new Promise((resolve) =>
    wss.on('listening', () => {
      const addr = wss.address();
      resolve({ url: `ws://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`, messages });
    }),
  );
}

describe('the inspector', () => {
  it('streams the host actor, each sampler actor, and their snapshots over WebSocket', async () => {
    const { url, messages } = await listen();
    const host = await startHost({ inspect: url });
    const p = sleeper();
    const r = host.register({ name: 'seen', pid: p.pid as number });

    const hostActor = await until(() => messages.find((m) => m.type === '@xstate.actor' && m.name === 'host'), 'the host actor');
    const sampler = await until(() => messages.find((m) => m.type === '@xstate.actor' && m.name === `sampler-${r.id}`), 'the sampler actor');
    expect(sampler.parentId).toBe(hostActor.sessionId);

    const hostSnap = await until(
      () => messages.find((m) => m.type === '@xstate.snapshot' && m.sessionId === hostActor.sessionId && m.snapshot?.context?.sandboxes !== undefined),
      'a host snapshot',
    );
    expect(hostSnap.snapshot?.value).toBe('running');
    const samplerSnap = await until(
      () => messages.find((m) => m.type === '@xstate.snapshot' && m.sessionId === sampler.sessionId && m.snapshot?.value === 'sampling'),
      'a sampler snapshot while sampling',
    );
    // Live objects travel as their class names, never as their insides.
    expect(samplerSnap.snapshot?.context?.writer).toBe('[SlotWriter]');
    expect(samplerSnap.snapshot?.context?.intervalMs).toBe(100);

    await host.unregister(r.id);
    await until(
      () => messages.find((m) => m.type === '@xstate.snapshot' && m.sessionId === sampler.sessionId && m.snapshot?.value === 'stopped'),
      'the sampler stopped',
    );
  });

  it('keeps only plain data of a context', () => {
    class Thing {
      x = 1;
    }
    expect(plainData({ a: 1, f: () => 1, t: new Thing(), n: { b: [1, 'x', 10n] } })).toEqual({ a: 1, t: '[Thing]', n: { b: [1, 'x', '10'] } });
  });

  it('refuses an inspector URL that is not ws:// or wss://', async () => {
    await expect(startHost({ inspect: 'http://127.0.0.1:1' })).rejects.toMatchObject({ code: 'SANDMETER_USAGE' });
  });
});
