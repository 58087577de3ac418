/**
 * What the console never renders: passwords, keys, tokens and secrets, by the name they travel under.
 * Outputs of a stack name their own keys (`AdminPassword`, `ApiKey`...), so a name that looks secret
 * is masked whatever its value.
 */
const SECRET_NAME =
  /pass(word|wd)?|secret|token|(^|[^a-z])key($|[^a-z])|apikey|accesskey|credential|licen[cs]ecode/i;

export const MASK = '••••••••';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || /Key$/.test(name);
}

/** A stack's outputs with every secret-looking value masked, in key order. */
export function maskOutputs(outputs: Record<string, string> | undefined): [string, string][] {
  return Object.entries(outputs ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => [name, isSecretName(name) ? MASK : value]);
}

/** Free text (a job's last error, a failure reason) with `name=value` / `name: value` secrets masked. */
export function maskText(text: string): string {
  return text.replace(
    /\b([A-Za-z_.-]*(?:password|passwd|secret|token|apikey|accesskey|licensecode)[A-Za-z_.-]*)(["']?\s*[=:]\s*["']?)([^\s"'&,;}]+)/gi,
    (_all, name: string, sep: string) => `${name}${sep}${MASK}`,
  );
}
