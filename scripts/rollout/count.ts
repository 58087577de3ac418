import type { Count } from './model';

/** Parses `N` or `P%` (a flag's value); undefined when it is neither. */
export function parseCount(text: string): Count | undefined {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (percent) {
    const value = Number(percent[1]);
    return value > 0 && value <= 100 ? { kind: 'percent', value } : undefined;
  }
  if (!/^\d+$/.test(text.trim())) return undefined;
  return { kind: 'absolute', value: Number(text) };
}

/** How many of `total` a count is: a share rounds up, so 1% of 10 is 1, never 0. */
export function resolveCount(count: Count, total: number): number {
  if (count.kind === 'absolute') return count.value;
  return Math.ceil((count.value / 100) * total);
}

export function formatCount(count: Count): string {
  return count.kind === 'percent' ? `${count.value}%` : String(count.value);
}

/** `10m`, `30s`, `1h`, `500ms`, `0`: a duration in ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}
