/** Keys of a section's entries that are not among the documented ones. */
import type { Report } from '../model';
import type { SourceDoc } from '../source/source-doc';
import { didYouMean } from '../../../service-config/suggest';

export function unknownEntryKeys(
  doc: SourceDoc,
  section: string,
  entries: Record<string, Record<string, unknown>>,
  known: string[],
  what: string,
): Report[] {
  const reports: Report[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    for (const key of Object.keys(entry)) {
      if (known.includes(key)) continue;
      reports.push({
        where: { doc, path: [section, name, key], key: true },
        message: `unknown key "${key}" in ${what} "${name}"${didYouMean(key, known)}`,
      });
    }
  }
  return reports;
}
