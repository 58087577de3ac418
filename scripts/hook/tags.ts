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
} as const;

/** The tags of the instance the hook creates for one order of one service. */
export function hookTags(serviceId: string, recordId: string): Tag[] {
  return [
    { Key: TAG_KEYS.order, Value: recordId },
    { Key: TAG_KEYS.service, Value: serviceId },
  ];
}

/** The value of one tag key among an instance's `Tags`, if it carries that key. */
export function tagValue(tags: readonly Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/** The order a hook-made instance of this service belongs to, from its tags; else undefined. */
export function orderOfTags(tags: readonly Tag[] | undefined, serviceId: string): string | undefined {
  return tagValue(tags, TAG_KEYS.service) === serviceId ? tagValue(tags, TAG_KEYS.order) : undefined;
}
