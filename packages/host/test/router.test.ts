// Route matching: params, 404 and 405 with the allowed methods.
import { describe, expect, it } from 'vitest';
import { Router } from '../src/http/router.js';

const router = new Router()
  .on('GET', '/v1/sandboxes', () => 'list')
  .on('POST', '/v1/sandboxes', () => 'create')
  .on('DELETE', '/v1/sandboxes/:id', () => 'delete')
  .on('GET', '/v1/sandboxes/:id/metrics', () => 'metrics');

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('the router', () => {
  it('matches literal and parameter segments, trailing slash or not', () => {
    expect(router.match('GET', '/v1/sandboxes').handler({} as never)).toBe('list');
    expect(router.match('GET', '/v1/sandboxes/').handler({} as never)).toBe('list');
    expect(router.match('DELETE', '/v1/sandboxes/42').params).toEqual({ id: '42' });
    expect(router.match('GET', '/v1/sandboxes/a%20b/metrics').params).toEqual({ id: 'a b' });
    expect(router.match('HEAD', '/v1/sandboxes').handler({} as never)).toBe('list');
  });

  it('says 405 with the allowed methods for a known path, 404 otherwise', () => {
    expect(codeOf(() => router.match('PATCH', '/v1/sandboxes'))).toBe('SANDMETER_METHOD_NOT_ALLOWED');
    expect(codeOf(() => router.match('GET', '/v1/sandboxes/1'))).toBe('SANDMETER_METHOD_NOT_ALLOWED');
    expect(codeOf(() => router.match('GET', '/v2/sandboxes'))).toBe('SANDMETER_ROUTE_NOT_FOUND');
    expect(codeOf(() => router.match('GET', '/v1/sandboxes/%E0%A4%A/metrics'))).toBe('SANDMETER_ROUTE_NOT_FOUND');
  });
});
