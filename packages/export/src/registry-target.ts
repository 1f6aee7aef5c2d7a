// Which registry an exporter reads: a name, a microsandbox home, or the default.
import { Registry, defaultRegistryName, microsandboxRegistryName, InvalidArgumentError } from '@sandmeter/registry';

export interface RegistryTarget {
  /** A registry name like "/sandmeter-demo". */
  registryName?: string;
  /** A microsandbox home: its registry is `/msb-met-<fnv1a64(home)>-v3`. */
  msbHome?: string;
}

export function resolveRegistryName(target: RegistryTarget): string {
  if (target.registryName !== undefined && target.msbHome !== undefined) {
    throw new InvalidArgumentError('--registry', 'give --registry or --msb-home, not both');
  }
  if (target.msbHome !== undefined) return microsandboxRegistryName(target.msbHome);
  return target.registryName ?? defaultRegistryName();
}

/** Opens an existing registry (NotFoundError when nothing has created it yet). */
export function openRegistry(target: RegistryTarget): Registry {
  return Registry.open(resolveRegistryName(target));
}
