import { parse as parseYaml } from 'yaml';
import type { SandboxState } from '../state';
import type { RosTemplate } from '../../../cdk/ros/template';

/**
 * The template a TemplateConfig Url names, read from the sandbox's object store. Accepts the
 * `oss://bucket/key?RegionId=...` form and an http(s) URL path-style (`/bucket/key`), as the
 * sandbox serves it.
 */
export function loadTemplate(
  state: SandboxState,
  url: string | undefined,
): { template?: RosTemplate; problem?: string } {
  if (!url) return { problem: 'the TemplateConfig has no Url' };
  const location = objectLocation(url);
  const object = location && state.objects[`${location.bucket}/${location.key}`];
  if (!object) return { problem: `template ${url} was not found in the object store` };
  const text = Buffer.from(object.contentBase64, 'base64').toString('utf8');
  try {
    const parsed = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
    if (!parsed || typeof parsed !== 'object') return { problem: `template ${url} is not a mapping` };
    return { template: parsed as RosTemplate };
  } catch (error) {
    return { problem: `template ${url} does not parse: ${(error as Error).message}` };
  }
}

export function objectLocation(url: string): { bucket: string; key: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'oss:') {
    return { bucket: parsed.hostname, key: decodeURIComponent(parsed.pathname.replace(/^\//, '')) };
  }
  const [bucket, ...rest] = parsed.pathname.replace(/^\//, '').split('/');
  return bucket && rest.length > 0 ? { bucket, key: rest.map(decodeURIComponent).join('/') } : undefined;
}
