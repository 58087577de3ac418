/** One page of a NextToken/MaxResults listing. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Yields every item of a NextToken-paged listing. Stops on an empty or missing NextToken, and refuses
 * a token the server already gave (which would otherwise loop forever).
 */
export async function* paginate<T>(fetchPage: (nextToken?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.nextToken || undefined;
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`the server repeated the page token ${token}`);
      seen.add(token);
    }
  } while (token !== undefined);
}

export async function collectAll<T>(fetchPage: (nextToken?: string) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of paginate(fetchPage)) all.push(item);
  return all;
}
