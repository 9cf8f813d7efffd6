import type { LeadOwner } from '@bastion/contract';
import { onMounted, shallowRef, type ShallowRef } from 'vue';
import { crmApi } from './crm-api';

let loading: Promise<LeadOwner[]> | undefined;

/** Fetched once per page load and shared by every view; a failure lets the next view retry. */
function loadOwners(): Promise<LeadOwner[]> {
  loading ??= crmApi.owners().then(
    (list) => list.results,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * Active staff a lead can be assigned to, for the owner pickers and names. `null` until known
 * (still loading, or the request failed): views then show no names rather than wrong ones.
 */
export function useLeadOwners(): ShallowRef<LeadOwner[] | null> {
  const owners = shallowRef<LeadOwner[] | null>(null);
  onMounted(async () => {
    owners.value = await loadOwners().catch(() => null);
  });
  return owners;
}

/** The name of staff member `id` in a loaded owner list; undefined when unknown or not loaded. */
export function staffName(owners: LeadOwner[] | null, id: string | null): string | undefined {
  return id ? owners?.find((owner) => owner.id === id)?.name : undefined;
}
