import { existsSync } from 'node:fs';
import { CHROMIUM } from './support';

/**
 * The browser suites run where Chromium is: always in CI (`.ci/run` installs it; a missing one fails
 * there), and skip elsewhere (`npm test` on a machine without it), as the PostgreSQL suites do. A file of
 * its own because it needs jest's globals, and `screenshots.ts` runs the support outside jest.
 */
export const describeBrowser: jest.Describe =
  existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip;
