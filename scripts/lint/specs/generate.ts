/**
 * Writes `resource-specs.json`: the properties of every ROS resource type that the ROS CDK packages the kit
 * depends on (package.json `@alicloud/ros-cdk-*`) generate a `Ros*` class for, with which are required and
 * what type each takes. `npm run lint:specs` writes it; `npm run lint:specs:check` (part of `npm test`) fails
 * when it is stale, e.g. after a ROS CDK package was upgraded or added.
 *
 * Read from the packages' generated JavaScript rather than by running it: each `ros<Name>PropsToRosTemplate`
 * function maps the CDK's camelCase props to the template's property names with a typed mapper
 * (`ros.stringToRosTemplate`, `ros.listMapper(...)`, a nested `ros<Name><Struct>PropertyToRosTemplate`), and
 * the validator it calls marks required props with `ros.requiredValidator`. Both are machine-written by the
 * same code generator, so the shapes matched below are stable across the 1.x line.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PropertySpec, ResourceSpecs, StructSpec, TypeSpec } from './types';

/** The source folder, also when this runs compiled from dist/. */
const SOURCE_DIR = __dirname.replace(/([\\/])dist([\\/]scripts)/, '$2');
const REPO_ROOT = join(SOURCE_DIR, '..', '..', '..');
export const SPECS_FILE = join(SOURCE_DIR, 'resource-specs.json');

interface Functions {
  [name: string]: string;
}

/** The ROS CDK packages package.json names that carry generated `Ros*` resource classes, sorted. */
export function cdkPackages(root = REPO_ROOT): { name: string; version: string; files: string[] }[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@alicloud/ros-cdk-'))
    .sort()
    .flatMap((name) => {
      const folder = dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
      const version = (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string })
        .version;
      const files = ['lib', join('lib', 'datasource')].flatMap((sub) => {
        try {
          return readdirSync(join(folder, sub))
            .filter((f) => f.endsWith('.generated.js'))
            .sort()
            .map((f) => join(folder, sub, f));
        } catch {
          return [];
        }
      });
      return files.length > 0 ? [{ name, version, files }] : [];
    });
}

export function buildSpecs(root = REPO_ROOT): ResourceSpecs {
  const specs: ResourceSpecs = { packages: {}, resources: {} };
  for (const pkg of cdkPackages(root)) {
    specs.packages[pkg.name] = pkg.version;
    for (const file of pkg.files) {
      for (const [type, spec] of Object.entries(parseGenerated(readFileSync(file, 'utf8')))) {
        // The first package that defines a type wins; packages are sorted, so the choice is stable.
        if (!specs.resources[type]) specs.resources[type] = { package: pkg.name, ...spec };
      }
    }
  }
  specs.resources = Object.fromEntries(
    Object.entries(specs.resources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return specs;
}

/** Resource type → properties, from one `*.generated.js` file. */
export function parseGenerated(source: string): Record<string, StructSpec> {
  const functions: Functions = {};
  for (const m of source.matchAll(/^function (\w+)\(properties[^)]*\) \{\n([\s\S]*?)^\}$/gm))
    functions[m[1]] = m[2];
  const out: Record<string, StructSpec> = {};
  for (const m of source.matchAll(/^(Ros\w+)\.ROS_RESOURCE_TYPE_NAME = "([^"]+)";$/gm)) {
    const mapper = `ros${m[1].slice(3)}PropsToRosTemplate`;
    if (functions[mapper] === undefined) throw new Error(`${m[2]}: no function ${mapper}`);
    out[m[2]] = struct(mapper, functions, new Set());
  }
  return out;
}

function struct(mapper: string, functions: Functions, seen: Set<string>): StructSpec {
  const body = functions[mapper];
  const validator = /(\w+)\(properties\)\.assertSuccess\(\)/.exec(body)?.[1];
  const required = new Set(
    [
      ...(functions[validator ?? ''] ?? '').matchAll(/propertyValidator\('(\w+)', ros\.requiredValidator\)/g),
    ].map((r) => r[1]),
  );
  const properties: Record<string, PropertySpec> = {};
  const inner = new Set([...seen, mapper]);
  for (const p of body.matchAll(/^ {8}'([^']+)': (.+)\(properties\.(\w+)\),?$/gm)) {
    const spec: PropertySpec = { type: typeOf(p[2], functions, inner) };
    if (required.has(p[3])) spec.required = true;
    properties[p[1]] = spec;
  }
  return { properties };
}

function typeOf(expression: string, functions: Functions, seen: Set<string>): TypeSpec {
  const primitive: Record<string, TypeSpec> = {
    'ros.stringToRosTemplate': 'string',
    'ros.numberToRosTemplate': 'number',
    'ros.booleanToRosTemplate': 'boolean',
    'ros.objectToRosTemplate': 'any',
  };
  if (primitive[expression]) return primitive[expression];
  if (expression === 'ros.rosTagToRosTemplate')
    return { properties: { Key: { type: 'string', required: true }, Value: { type: 'string' } } };
  const wrapped = /^ros\.(listMapper|hashMapper)\((.+)\)$/.exec(expression);
  if (wrapped) {
    const element = typeOf(wrapped[2], functions, seen);
    return wrapped[1] === 'listMapper' ? { list: element } : { map: element };
  }
  // A nested structure; a self-referencing one (none today) would stop at `any`.
  if (functions[expression] !== undefined && !seen.has(expression))
    return struct(expression, functions, seen);
  return 'any';
}

export async function render(specs: ResourceSpecs): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(SPECS_FILE)) ?? {};
  return prettier.format(JSON.stringify(specs), { ...options, filepath: SPECS_FILE });
}

async function run(argv: string[]): Promise<number> {
  const text = await render(buildSpecs());
  let current = '';
  try {
    current = readFileSync(SPECS_FILE, 'utf8');
  } catch {
    // absent: stale
  }
  if (argv.includes('--check')) {
    if (current === text) {
      process.stdout.write('ROS resource specifications are fresh\n');
      return 0;
    }
    process.stderr.write(`${SPECS_FILE} is stale; run \`npm run lint:specs\`\n`);
    return 1;
  }
  writeFileSync(SPECS_FILE, text);
  process.stdout.write(`wrote ${SPECS_FILE}\n`);
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
