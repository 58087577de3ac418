/** Reading the per-rule fixtures of test/lint-fixtures and the `# expect: <rule>` marks in them. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', 'lint-fixtures');

/** The good or bad input of a rule: `<rule>/<kind>.yaml|.json` or the folder `<rule>/<kind>`. */
export function fixtureInput(rule: string, kind: 'good' | 'bad'): string | undefined {
  const folder = join(FIXTURES, rule);
  if (!existsSync(folder)) return undefined;
  const name = readdirSync(folder).find((entry) => entry === kind || entry.startsWith(`${kind}.`));
  return name && join(folder, name);
}

/** `file:line` of every line marked `# expect: <rule>` below `input`, relative to `cwd`. */
export function expectedLines(input: string, rule: string, cwd: string): string[] {
  const marks: string[] = [];
  for (const file of filesBelow(input)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.includes(`# expect: ${rule}`)) marks.push(`${relative(cwd, file)}:${i + 1}`);
      });
  }
  return marks.sort();
}

function filesBelow(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesBelow(join(path, entry)));
}
