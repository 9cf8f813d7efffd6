import { notFound } from '../http/errors.js';
import type { ModuleManifest } from '../modules/manifest.js';
import { compileResource, type CompiledResource } from './resource.js';

// The admin resources of the modules this process runs. `installModules()` fills it in every
// role (API, worker, CLI), so the `admin.action-run` job finds the same resources as the API.

let resources = new Map<string, CompiledResource>();

/**
 * Compiles and checks every module's `admin` list. A later call adds to (and by name replaces)
 * what an earlier one registered: a test app with an extra fixture module and a job runtime
 * with the default modules may share one process, and both must find the fixture's resources.
 */
export function registerAdminResources(list: readonly ModuleManifest[]): void {
  const next = new Map<string, CompiledResource>(resources);
  const names = new Set<string>();
  for (const manifest of list) {
    for (const resource of manifest.admin ?? []) {
      const compiled = compileResource(manifest.name, resource);
      if (names.has(compiled.name)) {
        throw new Error(`admin resource "${compiled.name}" is defined twice`);
      }
      names.add(compiled.name);
      next.set(compiled.name, compiled);
    }
  }
  // References between resources are checked once all are known.
  for (const resource of next.values()) {
    for (const field of resource.fields.values()) {
      if (field.ref && !next.has(field.ref)) {
        throw new Error(`admin resource "${resource.name}": ref "${field.ref}" is unknown`);
      }
    }
    for (const inline of resource.definition.inlines ?? []) {
      const child = next.get(inline.resource);
      if (!child) {
        throw new Error(`admin resource "${resource.name}": inline "${inline.resource}" unknown`);
      }
      // The inline is the child's list filtered by that field, so it must be a filter there.
      if (!child.filters.includes(inline.field)) {
        throw new Error(
          `admin resource "${resource.name}": inline field "${inline.field}" is not a filter of "${inline.resource}"`,
        );
      }
    }
  }
  resources = next;
}

export function adminResources(): CompiledResource[] {
  return [...resources.values()];
}

export function findAdminResource(name: string): CompiledResource | undefined {
  return resources.get(name);
}

/** The resource, or a 404 in the one error shape. */
export function adminResource(name: string): CompiledResource {
  const found = resources.get(name);
  if (!found) throw notFound('Admin resource');
  return found;
}
