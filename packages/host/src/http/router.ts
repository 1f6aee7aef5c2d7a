// A small route table: literal segments and `:param` segments, one handler
// per method. A path that matches with another method is 405 (with Allow);
// no match is 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HostError } from '../errors.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (ctx: RouteContext) => unknown;

interface Route {
  segments: string[];
  methods: Map<string, Handler>;
}

export class Router {
  readonly #routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    const segments = split(pattern);
    let route = this.#routes.find((r) => r.segments.join('/') === segments.join('/'));
    if (route === undefined) {
      route = { segments, methods: new Map() };
      this.#routes.push(route);
    }
    route.methods.set(method, handler);
    if (method === 'GET') route.methods.set('HEAD', handler);
    return this;
  }

  /** The handler and params for a request; throws the 404 / 405 HostError otherwise. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } {
    const parts = split(pathname);
    let allowed: string[] | undefined;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      const handler = route.methods.get(method);
      if (handler !== undefined) return { handler, params };
      allowed = [...route.methods.keys()];
    }
    if (allowed !== undefined) {
      throw new HostError('SANDMETER_METHOD_NOT_ALLOWED', 405, `${method} is not allowed on ${pathname}; use ${allowed.join(', ')}`, {
        allow: allowed,
      });
    }
    throw new HostError('SANDMETER_ROUTE_NOT_FOUND', 404, `no route ${pathname}; see the API in the host README (GET /v1/sandboxes, /v1/metrics, /metrics, /healthz ...)`);
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(v);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = decoded;
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}
