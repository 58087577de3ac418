import { appendFileSync } from 'node:fs';

/**
 * Figures a test measures on the way (a time to recover, a memory footprint), for a report: appended as
 * one JSON line to the file `NESTKIT_FIGURES_FILE` names, and nowhere else, so `npm test` prints no stray
 * line. Timing is never asserted on; it belongs in `npm run bench`.
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const file = process.env.NESTKIT_FIGURES_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ [name]: figures })}\n`);
}
