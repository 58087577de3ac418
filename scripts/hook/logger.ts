import pino from 'pino';

/** Structured JSON logs; the redaction list covers every place a secret could travel. */
export type HookLogger = pino.Logger;

export const REDACTED_PATHS = [
  'token',
  'key',
  'password',
  'secret',
  '*.token',
  '*.key',
  '*.password',
  '*.InstancePassword',
  '*.AdminPassword',
  '*.AccessKeySecret',
  '*.SecurityToken',
  'params.token',
  'appInfo.password',
  '*.appInfo.password',
];

export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
): HookLogger {
  return pino(
    {
      level: options.level ?? process.env.NESTKIT_LOG_LEVEL ?? 'info',
      base: { service: 'nestkit-hook' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
