import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseServiceConfig } from '../../service-config/load';
import type { ServiceModel } from '../../service-config/model';

export const REPO_ROOT = join(__dirname, '..', '..');
export const SAMPLE_CONFIG = join(REPO_ROOT, 'service-config', 'service.yaml');

export function sampleText(): string {
  return readFileSync(SAMPLE_CONFIG, 'utf8');
}

export function sampleModel(): ServiceModel {
  return parseServiceConfig(sampleText(), 'service.yaml');
}
