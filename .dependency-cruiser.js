/**
 * The layering of ../shared/design.md and the folder READMEs ("may import / must not import"), checked by
 * `npm run deps:check` in `npm test`: data flows service-config -> cdk -> templates -> scripts, and
 * inside scripts/ every command reaches the cloud only through scripts/cloud. Type-only imports count:
 * a type is a dependency too. Tests (test/) may import anything but may not form a cycle (no-circular).
 * @type {import('dependency-cruiser').IConfiguration}
 */
const SCRIPTS = (...folders) => `^scripts/(${folders.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'service-config-imports-nothing-of-ours',
      comment: 'service-config/ is the bottom floor: it imports nothing of ours (service-config/README.md)',
      severity: 'error',
      from: { path: '^service-config/' },
      to: { path: '^(cdk|scripts|test|templates|bin)/' },
    },
    {
      name: 'cdk-imports-only-service-config',
      comment:
        'cdk/ imports service-config/ and itself only; nothing in cdk/ imports scripts/ (cdk/README.md)',
      severity: 'error',
      from: { path: '^cdk/' },
      to: { path: '^(scripts|test|bin)/' },
    },
    {
      name: 'ros-floor-imports-nothing-outside-it',
      comment:
        'cdk/ros/ is the ROS floor synth, lint and the sandbox share: it imports nothing of ours outside it',
      severity: 'error',
      from: { path: '^cdk/ros/' },
      to: { path: '^(cdk|service-config)/', pathNot: '^cdk/ros/' },
    },
    {
      name: 'production-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(cdk|scripts|service-config)/' },
      to: { path: '^test/' },
    },
    {
      name: 'cloud-imports-no-command',
      comment:
        'scripts/cloud is the one client: it may import scripts/errors.ts and scripts/api-models, never a command, the sandbox or cdk/ (scripts/cloud/README.md)',
      severity: 'error',
      from: { path: '^scripts/cloud/' },
      to: {
        path: '^(scripts|cdk)/',
        pathNot: ['^scripts/cloud/', '^scripts/errors\\.ts$', '^scripts/api-models/'],
      },
    },
    {
      name: 'leaf-folders-import-nothing-of-ours',
      comment: 'scripts/marketplace and scripts/api-models import nothing of ours (their READMEs)',
      severity: 'error',
      from: { path: SCRIPTS('marketplace', 'api-models') },
      to: {
        path: '^(scripts|cdk|service-config)/',
        pathNot: ['^scripts/marketplace/', '^scripts/api-models/'],
      },
    },
    {
      name: 'hook-imports-no-other-command',
      comment:
        'the hook reaches the cloud through scripts/cloud; what it shared with publish lives there (scripts/hook/README.md)',
      severity: 'error',
      from: { path: '^scripts/hook/' },
      to: { path: SCRIPTS('publish', 'lint', 'sandbox', 'synth', 'demo') },
    },
    {
      name: 'hook-reads-only-the-contract-of-cdk',
      comment:
        'the hook knows synth output through cdk/hook-contract.ts (and plan names through cdk/plans.ts), not through constructs or stacks',
      severity: 'error',
      from: { path: '^scripts/hook/' },
      to: {
        path: '^cdk/',
        pathNot: ['^cdk/hook-contract\\.ts$', '^cdk/plans\\.ts$', '^cdk/ros/', '^cdk/synth-error\\.ts$'],
      },
    },
    {
      name: 'console-acts-on-the-store-only',
      comment:
        'the operator console acts on the store; the hook does the cloud work: no cloud, sandbox, publish or demo (scripts/console/README.md)',
      severity: 'error',
      from: { path: '^scripts/console/' },
      to: { path: SCRIPTS('cloud', 'sandbox', 'publish', 'demo', 'lint', 'synth') },
    },
    {
      name: 'rollout-imports-no-peer',
      comment:
        'the rollout reaches the cloud through scripts/cloud and the hook only through its clock, service lookup and store (scripts/rollout/README.md)',
      severity: 'error',
      from: { path: '^scripts/rollout/' },
      to: { path: SCRIPTS('publish', 'lint', 'sandbox', 'synth', 'demo', 'console') },
    },
    {
      name: 'publish-imports-no-peer',
      comment:
        'publish must not import the sandbox (a peer on the wire) nor the hook (scripts/publish/README.md)',
      severity: 'error',
      from: { path: '^scripts/publish/' },
      to: { path: SCRIPTS('sandbox', 'hook', 'demo') },
    },
    {
      name: 'sandbox-imports-no-client',
      comment:
        'the sandbox is a peer of Alibaba Cloud, not of our client: it never imports the client code it emulates for (scripts/sandbox/README.md)',
      severity: 'error',
      from: { path: '^scripts/sandbox/' },
      to: { path: SCRIPTS('cloud', 'hook', 'publish', 'lint', 'synth', 'demo') },
    },
    {
      name: 'only-cli-and-demo-start-the-sandbox',
      comment:
        'no production path but `nestkit sandbox` and `nestkit demo` imports the sandbox (scripts/sandbox/README.md)',
      severity: 'error',
      from: { path: SCRIPTS('cloud', 'hook', 'publish', 'lint', 'synth', 'marketplace', 'api-models') },
      to: { path: '^scripts/sandbox/' },
    },
    {
      name: 'lint-imports-only-the-ros-floor-of-cdk',
      comment:
        'lint may import scripts/errors, scripts/output, service-config/, cdk/ros/ and the synthesis entry (to report what synth refuses), no command (scripts/lint/README.md)',
      severity: 'error',
      from: { path: '^scripts/lint/' },
      to: {
        path: [SCRIPTS('cloud', 'hook', 'publish', 'sandbox', 'synth', 'demo'), '^cdk/'],
        pathNot: ['^cdk/ros/', '^cdk/service-app\\.ts$', '^cdk/synth-error\\.ts$'],
      },
    },
    {
      name: 'synth-imports-no-command',
      comment:
        'synth may import service-config/, cdk/, scripts/errors.ts, scripts/output.ts (scripts/synth/README.md)',
      severity: 'error',
      from: { path: '^scripts/synth/' },
      to: { path: SCRIPTS('cloud', 'hook', 'publish', 'sandbox', 'lint', 'demo') },
    },
    {
      name: 'demo-is-imported-by-the-cli-only',
      comment: 'scripts/demo is imported only by scripts/cli.ts (scripts/demo/README.md)',
      severity: 'error',
      from: { path: '^(scripts|cdk|service-config)/', pathNot: ['^scripts/cli\\.ts$', '^scripts/demo/'] },
      to: { path: '^scripts/demo/' },
    },
    {
      name: 'no-circular',
      comment:
        'no import cycle, anywhere (cdk, scripts, service-config, test). Type-only imports count here too: one ' +
        'erased at run time cannot break module initialisation, but a cycle is one of concepts, and two files that ' +
        "each need the other's vocabulary mean a shared piece lives in the wrong file (lint's Path and " +
        'TemplateContext moved to scripts/lint/source/source-doc.ts for this, the lifecycle vocabulary to ' +
        'scripts/hook/lifecycle.ts, the console deps to scripts/console/deps.ts)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^(cdk|scripts|service-config|test|bin)/',
    exclude: { path: ['^dist/', 'node_modules'] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
