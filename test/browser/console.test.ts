import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { loadServiceConfig } from '../../service-config/load';
import { hookWorld, type HookWorld } from '../integration/hook/support';
import { releaseOrder } from '../../scripts/hook/operator-actions';
import { DEFAULT_TEARDOWN_LIMITS } from '../../scripts/hook/teardown-guard';
import { SqliteRolloutStore } from '../../scripts/rollout/sqlite-rollout-store';
import { SAMPLE_CONFIG } from '../support/model';
import { launchChromium, PLANTED_SECRET, seedActiveOrders, seedFailedOrder } from './support';
import { describeBrowser } from './describe-browser';

const TOKEN = 'console-token-for-the-browser-test';
const FAILED = 'order-failed-1';
const ACTIVE_ORDERS = 55;

/** What a person reads: the rendered text, white space collapsed. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
const texts = async (locator: Locator) =>
  (await locator.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

describeBrowser('the operator console in Chromium', () => {
  let world: HookWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Errors the browser reported (a stylesheet refused by the CSP shows here; 401s and 404s are expected). */
  const browserErrors: string[] = [];
  const url = (path: string) => `${world.hook.url}${path}`;

  beforeAll(async () => {
    // A pass may start one teardown: two due at once are held by the guard.
    world = await hookWorld({ consoleToken: TOKEN, limits: { maxPerPass: 1 } });
    const policy = loadServiceConfig(SAMPLE_CONFIG).lifecycle;
    const now = new Date(world.box.clock.now());
    await seedFailedOrder(world.hook.store, policy, FAILED, now);
    await seedActiveOrders(world.hook.store, policy, ACTIVE_ORDERS, now.toISOString());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('refuses every request without a session: pages redirect to the sign-in, actions get 401', async () => {
    const pageAnswer = await fetch(url('/console/orders?state=failed'), { redirect: 'manual' });
    expect(pageAnswer.status).toBe(303);
    expect(pageAnswer.headers.get('location')).toBe(
      `/console/sign-in?next=${encodeURIComponent('/console/orders?state=failed')}`,
    );
    const action = await fetch(url(`/console/orders/${FAILED}/retry`), {
      method: 'POST',
      redirect: 'manual',
    });
    expect(action.status).toBe(401);
    const forged = await fetch(url('/console'), {
      redirect: 'manual',
      headers: { cookie: `nestkit_console=abc.${Date.now() + 1e9}.forged` },
    });
    expect(forged.status).toBe(303);
    expect((await world.hook.store.get(FAILED))?.state).toBe('failed');

    await page.goto(url('/console/orders'));
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await expect(page.locator('h1').textContent()).resolves.toBe('nestkit console');
  });

  it('signs in with the console token only, into an HttpOnly, SameSite=Strict session', async () => {
    await page.getByLabel('Console token').fill('not-the-console-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not the console token');
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel('Console token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the sign-in was asked for.
    expect(new URL(page.url()).pathname).toBe('/console/orders');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'nestkit_console',
      httpOnly: true,
      sameSite: 'Strict',
      secure: false,
    });
  });

  it('marks the cookie Secure when a TLS proxy says the request came over https', async () => {
    const answer = await fetch(url('/console/sign-in'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; .*Secure/);
  });

  it('shows the overview: counts by state and edition, the failed deployment and its dead letter', async () => {
    await page.goto(url('/console'));
    const byState = page.locator('section[aria-labelledby="by-state"] tbody tr');
    expect(await texts(byState)).toEqual([`active ${ACTIVE_ORDERS}`, 'failed 1']);
    const byEdition = await texts(page.locator('section[aria-labelledby="by-edition"] tbody tr'));
    expect(byEdition).toContain(`basic yuncode5012300001 ${Math.ceil(ACTIVE_ORDERS / 2) + 1}`);
    expect(byEdition).toContain(`advanced yuncode5012300002 ${Math.floor(ACTIVE_ORDERS / 2)}`);
    const failed = await page.locator('#failed + .scroll tbody').textContent();
    expect(failed).toContain(FAILED);
    const dead = await page.locator('#dead + .scroll tbody').textContent();
    expect(dead).toContain('createInstance');
    expect(await page.content()).not.toContain(PLANTED_SECRET);
  });

  it('filters and pages the orders on the server', async () => {
    await page.goto(url('/console/orders'));
    await expect(text(page.locator('#result-count'))).resolves.toBe(`Orders 1–50 of ${ACTIVE_ORDERS + 1}`);
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(text(page.locator('#result-count'))).resolves.toBe(
      `Orders 51–${ACTIVE_ORDERS + 1} of ${ACTIVE_ORDERS + 1}`,
    );

    await page.getByLabel('State').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(new URL(page.url()).searchParams.get('state')).toBe('failed');
    await expect(text(page.locator('#result-count'))).resolves.toBe('Orders 1–1 of 1');
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);

    await page.goto(url('/console/orders'));
    await page.getByLabel('Search').fill('order-001');
    await page.getByLabel('Search').press('Enter');
    // A prefix: order-0010 to order-0019.
    await expect(text(page.locator('#result-count'))).resolves.toBe('Orders 1–10 of 10');
  });

  it('opens the failed order, retries it, and sees it deployed through the job path', async () => {
    await page.goto(url('/console/orders?state=failed'));
    await page.getByRole('link', { name: FAILED }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/orders/${FAILED}`);
    await expect(text(page.locator('h1 .state'))).resolves.toBe('failed');
    const jobs = await page.locator('#jobs + .scroll tbody').textContent();
    expect(jobs).toContain('dead');
    expect(jobs).toContain('InvalidParameter: AdminPassword=••••••••');
    expect(await page.content()).not.toContain(PLANTED_SECRET);

    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(text(page.getByRole('status').first())).resolves.toContain('provisioning again');
    await expect(text(page.locator('h1 .state'))).resolves.toBe('provisioning');
    // A reload shows the page again without acting twice.
    await page.reload();
    expect((await world.hook.store.jobsOf(FAILED)).filter((j) => j.kind === 'createInstance')).toHaveLength(
      2,
    );

    await world.settleDeployments();
    await page.reload();
    await expect(text(page.locator('h1 .state'))).resolves.toBe('active');
    const timeline = await page.locator('#timeline + .scroll tbody').allTextContents();
    expect(timeline.join(' ')).toMatch(/deployFailed.*retry.*instanceCreated.*deployed/s);
    expect(await page.content()).not.toContain(PLANTED_SECRET);
  });

  it("shows an order's outputs with the password masked", async () => {
    await page.goto(url('/console/orders/order-0001'));
    const outputs = await texts(page.locator('#outputs + .scroll tbody tr'));
    expect(outputs).toEqual(['AdminPassword ••••••••', 'Endpoint https://app-1.example.test']);
    expect(await page.content()).not.toContain(PLANTED_SECRET);
  });

  it('releases an order with a reason; the next teardown pass deletes it and the overview lists the pass', async () => {
    await page.goto(url(`/console/orders/${FAILED}`));
    await page.getByLabel('Reason').fill('customer asked to close the account');
    await page.getByRole('button', { name: 'Release and tear down' }).click();
    await expect(text(page.getByRole('status').first())).resolves.toContain('released');
    await expect(text(page.locator('h1 .state'))).resolves.toBe('released');
    await page.goto(url('/console'));
    expect((await texts(page.locator('#held + .scroll tbody tr'))).join()).toContain(`${FAILED} `);

    const { started } = await world.settleTeardowns();
    expect(started).toBe(1);
    await page.goto(url(`/console/orders/${FAILED}`));
    await expect(text(page.locator('h1 .state'))).resolves.toBe('deleted');
    await page.goto(url('/console'));
    expect(await texts(page.locator('#passes + .scroll tbody tr'))).toEqual([
      expect.stringMatching(/^teardown .* 1 due, 1 teardowns started$/),
    ]);
  });

  it('shows the teardowns the guard holds, and why', async () => {
    const policy = loadServiceConfig(SAMPLE_CONFIG).lifecycle;
    const deps = {
      store: world.hook.store,
      policy,
      now: () => new Date(world.box.clock.now()),
      limits: { ...DEFAULT_TEARDOWN_LIMITS, maxPerPass: 1 },
    };
    await releaseOrder(deps, 'order-0002', 'test: first of two');
    await releaseOrder(deps, 'order-0003', 'test: second of two');
    expect((await world.hook.teardownPass()).refused).toBeDefined();
    await page.goto(url('/console'));
    await expect(text(page.locator('section[aria-labelledby="c-held"]'))).resolves.toMatch(
      /^Teardowns due 2 Held by the teardown guard since .*: stopped by the teardown guard: 2 teardowns are due in one pass; the limit is 1$/,
    );
    const held = await texts(page.locator('#held + .scroll tbody tr'));
    expect(held.map((row) => row.split(' ')[0])).toEqual(['order-0002', 'order-0003']);
    expect(held[0]).toContain('test: first of two');
  });

  it('resumes one held teardown from its page: the order is seen deleting, the other stays held', async () => {
    // An order with no teardown due is offered no resume.
    await page.goto(url('/console/orders/order-0001'));
    await expect(page.getByRole('button', { name: 'Resume teardown' }).count()).resolves.toBe(0);

    await page.goto(url('/console'));
    await page.locator('#held + .scroll').getByRole('link', { name: 'order-0002' }).click();
    expect(new URL(page.url()).pathname).toBe('/console/orders/order-0002');
    await expect(text(page.locator('h1 .state'))).resolves.toBe('released');
    await page.getByRole('button', { name: 'Resume teardown' }).click();
    await expect(text(page.getByRole('status').first())).resolves.toMatch(
      /^teardown of order order-0002 resumed: it is deleting/,
    );
    await expect(text(page.locator('h1 .state'))).resolves.toBe('deleting');
    // Resumed through the job path: one deleteInstance job, which the worker runs.
    expect(await texts(page.locator('#jobs + .scroll tbody tr'))).toEqual([
      expect.stringMatching(/^deleteInstance pending/),
    ]);
    await expect(page.getByRole('button', { name: 'Resume teardown' }).count()).resolves.toBe(0);
    await page.goto(url('/console'));
    const held = await texts(page.locator('#held + .scroll tbody tr'));
    expect(held.map((row) => row.split(' ')[0])).toEqual(['order-0003']);

    await world.hook.drain();
    await world.advance(world.box.core.timings.deleteSeconds + 5);
    await world.advance(5);
    await page.goto(url('/console/orders/order-0002'));
    await expect(text(page.locator('h1 .state'))).resolves.toBe('deleted');
  });

  it('refuses a resume whose form lacks the session token (CSRF)', async () => {
    const answer = await context.request.post(url('/console/orders/order-0003/resume'), {
      form: { csrf: 'guess' },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(403);
    expect((await world.hook.store.get('order-0003'))?.state).toBe('released');
  });

  it('says "no rollout" until the store records one, then shows its waves', async () => {
    await page.goto(url('/console/rollouts'));
    await expect(text(page.getByRole('status'))).resolves.toMatch(/^No rollout/);
    const rollouts = new SqliteRolloutStore(
      join(world.dir, 'nestkit.db'),
      () => new Date(world.box.clock.now()),
    );
    try {
      const options = {
        canary: { kind: 'absolute', value: 1 },
        batchGrowth: 2,
        maxBatch: 10,
        soakMs: 600_000,
        maxFailures: { kind: 'absolute', value: 0 },
        rollbackFailed: false,
      } as const;
      const steps = ['si-seeded-1', 'si-seeded-2', 'si-seeded-3'].map((instanceId, i) => ({
        instanceId,
        fromVersion: '1',
        wave: i === 0 ? 0 : 1,
      }));
      await rollouts.create(
        {
          id: 'r-test',
          serviceId: world.serviceId,
          targetVersion: '2',
          state: 'running',
          options,
          currentWave: 1,
          waveSizes: [1, 2],
          createdAt: new Date(world.box.clock.now()).toISOString(),
        },
        { targetVersion: '2', steps, skipped: [], waveSizes: [1, 2] },
      );
      await rollouts.updateStep('r-test', 'si-seeded-1', { state: 'done' });
      await rollouts.updateStep('r-test', 'si-seeded-2', { state: 'soaking', countAttempt: true });
    } finally {
      await rollouts.close();
    }
    await page.reload();
    await expect(text(page.locator('h1'))).resolves.toBe('Rollout r-test running');
    expect(await texts(page.locator('#waves + .scroll tbody tr'))).toEqual([
      'canary 1 0 0 1',
      'wave 2 2 1 1 0',
    ]);
    expect(await texts(page.locator('#steps + .scroll tbody tr'))).toEqual([
      expect.stringMatching(/^si-seeded-2 wave 2 soaking 1 1/),
    ]);
    await page.goto(url('/console'));
    await expect(text(page.locator('#rollouts + p'))).resolves.toBe(
      'Rollout r-test to version 2: running, wave 2 of 2, 1 of 3 upgraded.',
    );
  });

  it('refuses an action whose form lacks the session token (CSRF), even with the session cookie', async () => {
    const before = await world.hook.store.get('order-0001');
    const answer = await context.request.post(url('/console/orders/order-0001/release'), {
      form: { reason: 'forged', csrf: 'guess' },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(403);
    expect(await world.hook.store.get('order-0001')).toEqual(before);
  });

  it('applies its stylesheet under its strict CSP, with no error in the browser', async () => {
    await page.goto(url('/console'));
    // The skip link is out of sight until focused: only the stylesheet puts it there.
    await expect(page.evaluate("getComputedStyle(document.querySelector('.skip')).position")).resolves.toBe(
      'absolute',
    );
    expect(browserErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });

  it('labels every form control and shows where the focus is', async () => {
    const unlabelled =
      "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((e) => e.labels.length === 0).map((e) => e.name)";
    for (const path of ['/console/orders', '/console/orders/order-0004']) {
      await page.goto(url(path));
      await expect(page.evaluate(unlabelled)).resolves.toEqual([]);
    }
    await page.keyboard.press('Tab');
    await expect(page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).resolves.toBe(
      'solid',
    );
  });

  it('can be used with the keyboard: a skip link first, then the navigation', async () => {
    await page.goto(url('/console'));
    await page.keyboard.press('Tab');
    await expect(text(page.locator(':focus'))).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('main');
    await page.goto(url('/console'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(text(page.locator(':focus'))).resolves.toBe('Overview');
  });

  it('signs out: the old cookie no longer opens a page', async () => {
    await page.goto(url('/console'));
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    const replay = await fetch(url('/console'), {
      redirect: 'manual',
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    expect(replay.status).toBe(303);
  });
});
