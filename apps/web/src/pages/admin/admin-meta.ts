import type { AdminFieldMeta, AdminResourceMeta } from '@bastion/contract';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { adminApi } from './admin-api';

/** The resources the caller may list (GET /resources), loaded once per session and shared. */
export const useAdminMeta = defineStore('admin-meta', () => {
  const resources = ref<AdminResourceMeta[]>([]);
  const error = ref<unknown>(null);
  let loading: Promise<void> | undefined;

  function load(force = false): Promise<void> {
    if (loading && !force) return loading;
    loading = adminApi.resources().then(
      (answer) => {
        resources.value = answer.items;
        error.value = null;
      },
      (failure: unknown) => {
        error.value = failure;
        loading = undefined; // Let the next page try again.
      },
    );
    return loading;
  }

  const byName = computed(() => new Map(resources.value.map((r) => [r.name, r])));

  /** The sidebar: resources grouped by module, modules and resources in alphabetical order. */
  const groups = computed(() => {
    const modules = new Map<string, AdminResourceMeta[]>();
    for (const resource of resources.value) {
      const list = modules.get(resource.module) ?? [];
      list.push(resource);
      modules.set(resource.module, list);
    }
    return [...modules.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([module, items]) => ({
        module,
        items: [...items].sort((a, b) => a.labelPlural.localeCompare(b.labelPlural)),
      }));
  });

  return { resources, error, load, byName, groups };
});

export function fieldOf(resource: AdminResourceMeta, name: string): AdminFieldMeta | undefined {
  return resource.fields.find((field) => field.name === name);
}

/**
 * The filters "Show counts" counts (the API's facets): choice and yes/no filters, but not tags,
 * whose counts per tag would need the array unnested.
 */
export function facetFields(resource: AdminResourceMeta): string[] {
  return resource.filters
    .filter((f) => f.kind === 'choice' || f.kind === 'boolean')
    .filter((f) => fieldOf(resource, f.field)?.type !== 'tags')
    .map((f) => f.field);
}

/** "crm" → "CRM", "accounts" → "Accounts": module names as sidebar headings. */
export function moduleLabel(module: string): string {
  if (module.length <= 3) return module.toUpperCase();
  return module.charAt(0).toUpperCase() + module.slice(1).replace(/-/g, ' ');
}
