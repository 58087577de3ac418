/**
 * Runs the real synthesized boot script (the UserData `Fn::Sub` of the nodes, resolved as ROS would) in
 * bash, with the cloud and system commands replaced by PATH shims, and hostile admin passwords: nothing
 * the password holds may run, and the application must receive it byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeService } from '../../../cdk/service-app';
import { sampleModel } from '../../support/model';

const template = synthesizeService(sampleModel()).templates[0].template;
const userData = template.Resources!.Nodes.Properties!.UserData as {
  'Fn::Sub': [string, Record<string, unknown>];
};

/** ROS `Fn::Sub`: `${!x}` is a literal `${x}`; `${Name}` a variable of the map or a GetAtt. */
function resolveSub(body: string, values: Record<string, string>): string {
  return body.replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, name: string) => {
    if (bang) return '${' + name + '}';
    if (!(name in values)) throw new Error(`unresolved \${${name}} in the boot script`);
    return values[name];
  });
}

const SHIMS: Record<string, string> = {
  // The wait condition: records each signal.
  'wait-signal': 'echo "$@" >> "$OUT/signals"',
  curl: 'exit 0',
  dnf: 'exit 0',
  systemctl: 'exit 0',
  lsblk: 'exit 0',
  blkid: 'exit 1',
  'mkfs.ext4': 'echo "$@" >> "$OUT/mkfs"',
  mountpoint: 'exit 1',
  mount: 'echo "$@" >> "$OUT/mount"',
  sleep: 'exit 0',
  // The application: keeps the password it was started with, exactly.
  docker: 'printf "%s" "$ADMIN_PASSWORD" > "$OUT/docker-password"; echo "$@" >> "$OUT/docker-args"',
};

function runBoot(password: string, work: string) {
  const shims = join(work, 'bin');
  const root = join(work, 'root');
  const out = join(work, 'out');
  for (const dir of [shims, root, join(root, 'etc'), out]) spawnSync('mkdir', ['-p', dir]);
  for (const [name, body] of Object.entries(SHIMS)) {
    writeFileSync(join(shims, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(shims, name), 0o755);
  }
  const [body, variables] = userData['Fn::Sub'];
  expect(Object.keys(variables)).toEqual(['AdminPasswordBase64']);
  expect(variables.AdminPasswordBase64).toEqual({ 'Fn::Base64Encode': { Ref: 'AdminPassword' } });
  const script = resolveSub(body, {
    AdminPasswordBase64: Buffer.from(password, 'utf8').toString('base64'),
    'WaitConditionHandle.CurlCli': 'wait-signal',
  });
  writeFileSync(join(work, 'boot.sh'), script);
  const result = spawnSync('bash', [join(work, 'boot.sh')], {
    env: { PATH: `${shims}:/usr/bin:/bin`, NESTKIT_ROOT: root, OUT: out, HOME: work },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { result, root, out };
}

describe('the synthesized boot script with hostile passwords', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'nestkit-boot-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const pwned = () => join(work, 'pwned');
  const hostile = (p: string) => [
    "a'b-Passw0rd",
    `$(touch ${p})`,
    `\`touch ${p}\``,
    `x'; touch ${p}; echo '`,
    `"; touch ${p}; "`,
    `line1\ntouch ${p}\n`,
    `\${IFS}$(touch ${p})\\`,
    `'$(touch ${p})'%s%n`,
  ];

  it.each(hostile('PWNED').map((p, i) => [i, p]))(
    'runs nothing from password %i and hands the application exactly it',
    (i) => {
      const password = hostile(pwned())[i as number];
      const { result, root, out } = runBoot(password, work);
      expect(result.stderr).not.toMatch(/syntax error|unexpected/);
      expect(result.status).toBe(0);
      expect(existsSync(pwned())).toBe(false);
      expect(readFileSync(join(out, 'docker-password'), 'utf8')).toBe(password.replace(/\n+$/, ''));
      expect(readFileSync(join(out, 'signals'), 'utf8')).toMatch(/"status\\?":\\?"SUCCESS/);
      const secret = join(root, 'etc', 'nestkit', 'admin-password');
      expect(readFileSync(secret, 'utf8')).toBe(password);
      expect(statSync(secret).mode & 0o077).toBe(0);
    },
  );

  it('formats the data disk once and mounts it at /data by label', () => {
    const { result, root, out } = runBoot('Plain-Passw0rd', work);
    expect(result.status).toBe(0);
    expect(readFileSync(join(out, 'mkfs'), 'utf8')).toBe('-q -L appdata /dev/vdb\n');
    expect(readFileSync(join(root, 'etc', 'fstab'), 'utf8')).toBe(
      'LABEL=appdata /data ext4 defaults,nofail 0 2\n',
    );
    expect(readFileSync(join(out, 'mount'), 'utf8')).toBe(`${join(root, 'data')}\n`);
    // The application keeps its data on that disk.
    expect(readFileSync(join(out, 'docker-args'), 'utf8')).toContain('-v /data/insight:');
  });

  it('pastes no parameter into the script: the password only arrives base64-encoded', () => {
    const [body] = userData['Fn::Sub'];
    expect(body).not.toMatch(/\$\{AdminPassword\}|\$\{InstancePassword\}/);
    expect(JSON.stringify(template.Resources!.Nodes.Properties)).not.toMatch(/"Password"/);
  });
});
