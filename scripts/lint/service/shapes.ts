/** Reading the real variants of service-definition fields: a map or a list, a value or a JSON string. */
import { isRecord, type Path } from '../source/source-doc';

/** A list as items with their paths; a single mapping counts as a one-item list. */
export function listItems(value: unknown, path: Path): { item: Record<string, unknown>; path: Path }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => (isRecord(item) ? [{ item, path: [...path, i] }] : []));
  }
  return isRecord(value) ? [{ item: value, path }] : [];
}

/** Keys of a map, or of a list of single-key maps (both occur for ArtifactRelation), with their paths. */
export function mapKeys(value: unknown, path: Path): { key: string; path: Path }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      isRecord(item) ? Object.keys(item).map((key) => ({ key, path: [...path, i, key] })) : [],
    );
  }
  return isRecord(value) ? Object.keys(value).map((key) => ({ key, path: [...path, key] })) : [];
}

/** A mapping, or a JSON string holding one (the exported form of the metadata fields). */
export function objectOrJson(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isRecord(parsed)) return parsed;
    } catch {
      return {};
    }
  }
  return {};
}

/** A list of strings, with their paths; anything else reads as empty. */
export function stringItems(value: unknown, path: Path): { value: string; path: Path }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) => (typeof item === 'string' ? [{ value: item, path: [...path, i] }] : []));
}
