// Resource attributes: who is exporting, from where.
import { hostname } from 'node:os';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';

export type ResourceAttributes = Record<string, string | number | boolean>;

export function exportResource(registryName: string | undefined, extra: ResourceAttributes = {}): Resource {
  return resourceFromAttributes({
    'service.name': 'sandmeter-export',
    'host.name': hostname(),
    ...(registryName === undefined ? {} : { 'sandmeter.registry': registryName }),
    ...extra,
  });
}
