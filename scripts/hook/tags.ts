import type { Tag } from '../cloud';

/**
 * The tags the hook puts on every service instance it creates, named once here. `ListServiceInstances`
 * filters by `Tag` (its `Name` filter is the service's name, not the instance's), so these tags, not the
 * instance name, are how the hook finds a create that landed before a crash and how it proves that an
 * instance is its own before deleting it.
 */
export const TAG_KEYS = {
  /** The hook's record id: the Marketplace order (`orderBizId`), or the licence order. */
  order: 'nestkit:order-id',
  /** The Compute Nest service this installation of the hook manages. */
  service: 'nestkit:service-id',
  /**
   * The installation of the hook (its database) that created the instance: a hook acts only on instances
   * carrying its own, so two hooks with two databases against one service leave each other's alone.
   */
  installation: 'nestkit:installation-id',
} as const;

/**
 * The tags of the instance the hook creates for one order of one service, with the installation that
 * creates it; without `installationId`, the order and service tags alone (the `Tag` filter that also
 * finds instances made before the installation tag existed).
 */
export function hookTags(serviceId: string, recordId: string, installationId?: string): Tag[] {
  return [
    { Key: TAG_KEYS.order, Value: recordId },
    { Key: TAG_KEYS.service, Value: serviceId },
    ...(installationId ? [{ Key: TAG_KEYS.installation, Value: installationId }] : []),
  ];
}

/** The installation an instance's tags name, if any. */
export function installationOfTags(tags: readonly Tag[] | undefined): string | undefined {
  return tagValue(tags, TAG_KEYS.installation);
}

/**
 * Whether an instance is another installation's: it names an installation, and not this one. Instances
 * made before the installation tag existed name none [I: they are their order's, as before].
 */
export function isForeign(tags: readonly Tag[] | undefined, installationId: string): boolean {
  const owner = installationOfTags(tags);
  return owner !== undefined && owner !== installationId;
}

/** The value of one tag key among an instance's `Tags`, if it carries that key. */
export function tagValue(tags: readonly Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/**
 * The order a hook-made instance of this service belongs to, from its tags; else undefined. With
 * `installationId`, also undefined for another installation's instance.
 */
export function orderOfTags(
  tags: readonly Tag[] | undefined,
  serviceId: string,
  installationId?: string,
): string | undefined {
  if (installationId !== undefined && isForeign(tags, installationId)) return undefined;
  return tagValue(tags, TAG_KEYS.service) === serviceId ? tagValue(tags, TAG_KEYS.order) : undefined;
}
