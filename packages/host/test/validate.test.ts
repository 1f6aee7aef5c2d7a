// Registration bodies against the JSON schema.
import { describe, expect, it } from 'vitest';
import { checkRegistration } from '../src/validate.js';

const problems = (body: unknown): Array<{ path: string; message: string }> => {
  try {
    checkRegistration(body);
  } catch (err) {
    expect((err as { code: string }).code).toBe('SANDMETER_VALIDATION_FAILED');
    return (err as { details: Array<{ path: string; message: string }> }).details;
  }
  return [];
};

describe('a registration', () => {
  it('needs a name and a pid or a cgroup, and takes every documented field', () => {
    expect(problems({ name: 'a', pid: 1 })).toEqual([]);
    expect(problems({ name: 'a', cgroup: '/x' })).toEqual([]);
    expect(
      problems({
        id: 7, name: 'a', pid: 1, cgroup: '/x', processTree: false, memoryLimitBytes: 2 ** 40, maxCpus: 1.5,
        intervalMs: 250, upperImagePath: '/var/img', labels: { team: 'infra', 'app.kubernetes.io_name': 'x' },
      }),
    ).toEqual([]);
  });

  it('names every problem: unknown fields, wrong types, out-of-range values', () => {
    const found = problems({ name: '', pid: -1, extra: true, intervalMs: 10, maxCpus: 0, labels: { '9bad': 'v' } });
    const paths = found.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/', '/name', '/pid', '/intervalMs', '/maxCpus', '/labels']));
    expect(found.find((p) => p.message.includes('additional properties'))?.message).toContain('(extra)');
  });

  it('rejects a body without pid or cgroup, and a body that is not an object', () => {
    expect(problems({ name: 'a' }).length).toBeGreaterThan(0);
    expect(problems([]).length).toBeGreaterThan(0);
    expect(problems('name').length).toBeGreaterThan(0);
    expect(problems({ name: 'a', pid: 1, labels: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) })).toEqual([
      expect.objectContaining({ path: '/labels' }),
    ]);
  });
});
