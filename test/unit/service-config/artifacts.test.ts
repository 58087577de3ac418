import { parseServiceConfig } from '../../../service-config/load';
import { ServiceConfigError, type ConfigIssue } from '../../../service-config/errors';
import { findPlaceholders, normalizePlaceholder } from '../../../service-config/artifacts';
import { sampleText } from '../../support/model';

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseServiceConfig(text, 'service.yaml');
  } catch (error) {
    if (error instanceof ServiceConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the service description to be refused');
}

function sampleWith(from: string | RegExp, to: string): string {
  const text = sampleText();
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`sample does not contain ${String(from)}`);
  return changed;
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

const FILE_ARTIFACT = `  - name: insight-compose
    type: file
    url: https://example.com/compose.tgz
`;

/** The sample with a file artifact after its image artifact. */
function withFileArtifact(): string {
  const pull = 'docker pull registry.cn-hangzhou.aliyuncs.com/acme/insight:1.4.0\n';
  return sampleWith(pull, `${pull}${FILE_ARTIFACT}`);
}

describe('artifacts in the service description', () => {
  it('loads the sample artifact with its regions defaulting to the allowed regions', () => {
    const model = parseServiceConfig(sampleText(), 'service.yaml');
    expect(model.artifacts.map((a) => [a.name, a.type])).toEqual([['insight-image', 'ecs-image']]);
    expect(model.artifacts[0].regions).toEqual(model.service.allowedRegions);
    expect(model.service.application.installCommand).toBe('');
  });

  it('refuses a key of another artifact type, at its line', () => {
    const text = sampleWith('    type: ecs-image\n', '    type: ecs-image\n    url: https://example.com/x\n');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ field: 'artifacts[0].url', line: lineOf(text, '    url: https://') });
    expect(issue.message).toMatch(/unknown key "url"/);
  });

  it('refuses an unknown artifact type with a suggestion', () => {
    const text = sampleWith('type: ecs-image', 'type: ecs-imag');
    expect(
      issuesOf(text)
        .map((i) => i.message)
        .join('\n'),
    ).toMatch(/did you mean "ecs-image"/);
  });

  it('refuses a placeholder that names no declared artifact, at the command', () => {
    const text = sampleWith('-e ADMIN_PASSWORD', '-e ADMIN_PASSWORD -v {{ computenest::file::compose }}:/c');
    const issues = issuesOf(text);
    expect(issues).toEqual([
      expect.objectContaining({
        field: 'service.application.startCommand',
        line: lineOf(text, 'startCommand: |'),
        message: '{{ computenest::file::compose }} names no declared artifact',
      }),
    ]);
  });

  it('refuses a placeholder of the wrong kind', () => {
    const text = sampleWith('-e ADMIN_PASSWORD', '-e ADMIN_PASSWORD {{ computenest::file::insight-image }}');
    expect(issuesOf(text)[0].message).toMatch(/is a ecs-image, written as application.imageId/);
  });

  it('refuses an artifact that nothing uses', () => {
    const text = withFileArtifact();
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      [
        'artifacts[1].name',
        'artifact "insight-compose" is used nowhere: write {{ computenest::file::insight-compose }} in a command, or remove it',
      ],
    ]);
  });

  it('accepts a file artifact its placeholder names', () => {
    const text = withFileArtifact().replace(
      '-e ADMIN_PASSWORD',
      '-e ADMIN_PASSWORD -e COMPOSE={{ computenest::file::insight-compose }}',
    );
    const model = parseServiceConfig(text, 'service.yaml');
    expect(model.artifacts.map((a) => a.name)).toEqual(['insight-image', 'insight-compose']);
  });

  it('refuses a region outside the allowed regions and one left out', () => {
    const text = sampleWith(
      '    type: ecs-image\n',
      '    type: ecs-image\n    regions: [cn-hangzhou, us-east-1]\n',
    );
    expect(issuesOf(text).map((i) => i.field)).toEqual(['artifacts[0].regions[1]', 'artifacts[0].regions']);
  });

  it('refuses an ecs-image with both a build and an existing image', () => {
    const text = sampleWith('    type: ecs-image\n', '    type: ecs-image\n    imageId: m-abc123\n');
    expect(issuesOf(text)[0].message).toMatch(/either build .* or imageId/);
  });

  it('refuses booting from an artifact that is not an ECS image', () => {
    const text = withFileArtifact().replace('imageId: insight-image', 'imageId: insight-compose');
    expect(issuesOf(text).map((i) => i.message)).toContain(
      'artifact "insight-compose" is a file; the nodes boot only from an ecs-image artifact',
    );
  });
});

describe('placeholders', () => {
  it('finds placeholders written with and without inner spaces', () => {
    const found = findPlaceholders("wget '{{computenest::file::a}}' && run {{ computenest::acrimage::b-1 }}");
    expect(found.map((p) => [p.kind, p.name])).toEqual([
      ['file', 'a'],
      ['acrimage', 'b-1'],
    ]);
    expect(normalizePlaceholder('{{computenest::file::a}}')).toBe('{{ computenest::file::a }}');
  });
});
