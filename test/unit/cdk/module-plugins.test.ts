import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generatedState,
  moduleFolders,
  renderRegistry,
  schemaWithModules,
} from '../../../cdk/constructs/modules/generate';
import { synthesizeService } from '../../../cdk/service-app';
import { parseServiceConfig } from '../../../service-config/load';
import { ServiceConfigError } from '../../../service-config/errors';
import { sampleText } from '../../support/model';

const DATABASE = `  - name: managed-database
    title:
      en-US: Managed MySQL database
      zh-CN: 托管 MySQL 数据库
    billingItem: ManagedDatabase
    parameter: EnableManagedDatabase
    settings:
      storageGb: 50
`;

/** The sample with the managed-database module declared after its other modules. */
function withDatabase(settings = ''): string {
  const text = sampleText();
  const at = text.indexOf('\nlifecycle:');
  return `${text.slice(0, at)}\n${DATABASE}${settings}${text.slice(at)}`;
}

describe('modules in their own folder', () => {
  it('the committed schema and plugin registry are what the module folders generate', () => {
    const state = generatedState();
    expect(state.schemaCurrent).toBe(true);
    expect(state.registryCurrent).toBe(true);
  });

  it('finds every folder with a schema fragment; only those with index.ts are plugins', () => {
    expect(moduleFolders().map((f) => [f.name, f.plugin])).toEqual([
      ['backup', false],
      ['managed-database', true],
      ['public-endpoint', false],
    ]);
  });

  it('a new folder is all an ISV adds: the generator names it in the schema and the registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-modules-'));
    try {
      mkdirSync(join(dir, 'cache'));
      writeFileSync(join(dir, 'cache', 'schema.json'), JSON.stringify({ settings: { type: 'object' } }));
      writeFileSync(join(dir, 'cache', 'index.ts'), '');
      const folders = moduleFolders(dir);
      expect(renderRegistry(folders)).toContain("import { plugin as cache } from './cache';");
      const schema = schemaWithModules(generatedState().schema, folders) as {
        definitions: { module: { properties: { name: { enum: string[] } }; allOf: unknown[] } };
      };
      expect(schema.definitions.module.properties.name.enum).toEqual(['cache']);
      expect(schema.definitions.module.allOf).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('synthesizes a declared plugin module: an RDS instance under its switch and its output', () => {
    const model = parseServiceConfig(withDatabase(), 'service.yaml');
    const [{ template }] = synthesizeService(model).templates;
    const resources = template.Resources as Record<
      string,
      { Type: string; Condition?: string; Properties: Record<string, unknown> }
    >;
    const database = resources.ManagedDatabaseInstance;
    expect(database).toMatchObject({
      Type: 'ALIYUN::RDS::DBInstance',
      Condition: 'ManagedDatabaseEnabled',
      Properties: {
        Engine: 'MySQL',
        EngineVersion: '8.0',
        DBInstanceStorage: 50,
        DBInstanceNetType: 'Intranet',
      },
    });
    expect(template.Parameters?.EnableManagedDatabase).toMatchObject({ Type: 'Boolean', Default: false });
    expect((template.Outputs as Record<string, { Condition?: string }>).DatabaseEndpoint.Condition).toBe(
      'ManagedDatabaseEnabled',
    );
  });

  it('leaves the template without the module when service.yaml does not declare it', () => {
    const [{ template }] = synthesizeService(parseServiceConfig(sampleText(), 'service.yaml')).templates;
    expect(Object.keys(template.Resources ?? {})).not.toContain('ManagedDatabaseInstance');
  });

  it("refuses a setting the module's schema fragment does not allow, at its line", () => {
    const text = withDatabase('      engineVersion: "9.0"\n');
    try {
      parseServiceConfig(text, 'service.yaml');
      throw new Error('expected a refusal');
    } catch (error) {
      if (!(error instanceof ServiceConfigError)) throw error;
      expect(error.issues.map((i) => [i.field, i.line])).toEqual([
        [
          expect.stringMatching(/^modules\[\d\]\.settings\.engineVersion$/),
          text.split('\n').findIndex((l) => l.includes('"9.0"')) + 1,
        ],
      ]);
    }
  });
});
