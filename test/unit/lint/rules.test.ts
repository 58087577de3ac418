import { lintProject, RULES } from '../../../scripts/lint';
import { expectedLines, fixtureInput } from './fixtures';

const cwd = process.cwd();

describe('every rule', () => {
  it('has a unique id, both descriptions, a documentation link, a severity and the paths it reads', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.short.length).toBeGreaterThan(10);
      expect(rule.long.length).toBeGreaterThan(rule.short.length);
      expect(rule.docUrl).toMatch(/^https:\/\//);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
    }
  });

  it.each(RULES.map((r) => r.id))('%s has a good and a bad fixture', (id) => {
    expect(fixtureInput(id, 'good')).toBeDefined();
    expect(fixtureInput(id, 'bad')).toBeDefined();
  });
});

describe.each(RULES.map((r) => r.id))('rule %s', (id) => {
  it('reports nothing on its good fixture', () => {
    const input = fixtureInput(id, 'good')!;
    expect(lintProject([input], { rules: [id], cwd })).toEqual([]);
  });

  it('reports exactly the lines its bad fixture marks', () => {
    const input = fixtureInput(id, 'bad')!;
    const reported = lintProject([input], { rules: [id], cwd }).map((f) => `${f.file}:${f.line}`);
    const expected = expectedLines(input, id, cwd);
    expect(expected.length).toBeGreaterThan(0);
    expect(reported.sort()).toEqual(expected);
  });
});

describe('good fixtures', () => {
  it('pass every rule, not just their own, so they show what correct input looks like', () => {
    const inputs = RULES.map((r) => fixtureInput(r.id, 'good')!);
    const findings = lintProject(inputs, { cwd });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`)).toEqual([]);
  });
});
