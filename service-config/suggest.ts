/**
 * "Did you mean" suggestions by edit distance: the one threshold of the service.yaml loader, the linter and
 * every other command (here, at the bottom of the imports, since service-config imports nothing of ours).
 */
import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate to `word`, if it is close enough to be a likely typo: a case-only difference, or
 * an edit distance of at most a third of the word's length (at least 2, so that a swap of two letters counts;
 * at most 3).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.min(3, Math.max(2, Math.floor(word.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "X"?)`, or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
