import { adminApi } from '../../pages/admin/admin-api';
import { useAdminMeta } from '../../pages/admin/admin-meta';
import { recordTitle } from './format';

// The title of the object a foreign key points at, for one object's page and its pickers:
// one request per object, remembered for the session (titles rarely change under a reader).

const cache = new Map<string, Promise<string>>();

export function fkLabel(ref: string, id: string): Promise<string> {
  const key = `${ref}:${id}`;
  let label = cache.get(key);
  if (!label) {
    const meta = useAdminMeta();
    label = adminApi.detail(ref, id).then(
      (detail) => recordTitle(detail.record, meta.byName.get(ref)?.title ?? 'id'),
      () => `#${shortId(id)}`,
    );
    cache.set(key, label);
  }
  return label;
}

/** Uuids in a narrow cell: the first block is enough to tell rows apart. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id;
}
