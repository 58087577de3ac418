import { invalid } from '../errors';
import { owned, tags } from './instances';
import { page } from './paging';
import { list, optional, required } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';
import type { InstanceRecord } from '../state';

/**
 * Tags of service instances after their creation (ComputeNestSupplier `TagResources`,
 * `ListTagResources`). The model lists `service`, `serviceinstance` and `artifact` as resource types;
 * the sandbox keeps tags on instances only, and answers the others as not supported [I].
 */
export const supplierTagActions: ActionTable = {
  TagResources: write(tagResources),
  ListTagResources: read(listTagResources),
};

const INSTANCE = 'serviceinstance';
/** [I] At most 20 tags per resource, as for Alibaba Cloud tags elsewhere (and for a create here). */
const MAX_TAGS = 20;

/** The instances `ResourceId.N` names, or every one the caller sees when it names none. */
function instancesOf(ctx: ActionContext): InstanceRecord[] {
  const type = required(ctx.params, 'ResourceType');
  // [I] The model's valid values are lower case; the sandbox accepts any case of them.
  if (type.toLowerCase() !== INSTANCE)
    throw invalid('ResourceType', `The sandbox keeps tags of ${INSTANCE} only, not ${type}.`);
  const ids = list(ctx.params, 'ResourceId');
  return ids.length > 0 ? ids.map((id) => owned(ctx, id)) : visible(ctx);
}

/** Adds the tags, overwriting the value of a key the resource carries already [I: as ECS tags do]. */
function tagResources(ctx: ActionContext) {
  if (list(ctx.params, 'ResourceId').length === 0) required(ctx.params, 'ResourceId.1');
  const instances = instancesOf(ctx);
  const given = tags(ctx.params);
  if (given.length === 0) required(ctx.params, 'Tag.1.Key');
  for (const instance of instances) {
    const merged = new Map((instance.Tags ?? []).map((t) => [t.Key, t.Value]));
    for (const tag of given) merged.set(tag.Key, tag.Value);
    if (merged.size > MAX_TAGS) throw invalid('Tag', `A resource carries at most ${MAX_TAGS} tags.`);
    instance.Tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
  }
  return {};
}

/** Every instance the caller may see. */
function visible(ctx: ActionContext): InstanceRecord[] {
  return Object.values(ctx.core.state.instances).filter((i) => isOwned(ctx, i.ServiceInstanceId));
}

function isOwned(ctx: ActionContext, id: string): boolean {
  try {
    owned(ctx, id);
    return true;
  } catch {
    return false;
  }
}

/** One row per (resource, tag), of the given resources or of every instance carrying the given tags. */
function listTagResources(ctx: ActionContext) {
  const wanted = tags(ctx.params);
  const instances = instancesOf(ctx);
  const rows = instances.flatMap((instance) =>
    (instance.Tags ?? [])
      .filter(
        (t) =>
          wanted.length === 0 || wanted.some((w) => w.Key === t.Key && (!w.Value || w.Value === t.Value)),
      )
      .map((t) => ({
        ResourceId: instance.ServiceInstanceId,
        ResourceType: INSTANCE,
        TagKey: t.Key,
        TagValue: t.Value,
      })),
  );
  // [I] The model has no MaxResults here: 50 rows a page.
  const result = page(rows, 50, optional(ctx.params, 'NextToken'));
  return { TagResources: result.items, NextToken: result.nextToken };
}
