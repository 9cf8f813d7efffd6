/**
 * The browser tab's text: "<page> · <organisation>", with Bastion standing in for the
 * organisation when ORGANIZATION_NAME is unset.
 */
export function pageTitle(title: string | undefined, organizationName: string | null): string {
  const site = organizationName ?? 'Bastion';
  return title ? `${title} · ${site}` : site;
}
