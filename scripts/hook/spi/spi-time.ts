/**
 * The SPI's times, exactly as documented: `yyyy-MM-dd HH:mm:ss` [V marketplace-spi.md sections 4, 8:
 * `expiredOn`, `timeStamp`; the sources show no ISO spelling, so none is accepted]. Hand-written rather
 * than a date library because the rule is one fixed pattern and every field must be checked against
 * rollover (`Date.UTC` silently turns `12:30:99` into `12:31:39` and year `0099` into 1999).
 */
export const SPI_TIME_FORMAT = 'yyyy-MM-dd HH:mm:ss';

/** [I] The SPI pages give no zone; the Marketplace runs on Beijing time (UTC+8). One line to change. */
export const SPI_TIME_ZONE_OFFSET_HOURS = 8;

/** Years an order can mean; outside them a value is a typo or an attack, not a date. */
const YEARS = { min: 2000, max: 2999 } as const;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Epoch ms of an SPI time, or the reason it is not one. */
export function parseStrictSpiTime(value: string): { ms: number } | { error: string } {
  const m = PATTERN.exec(value);
  if (!m) return { error: `must be a time as ${SPI_TIME_FORMAT}` };
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < YEARS.min || year > YEARS.max)
    return { error: `year ${year} is outside ${YEARS.min}-${YEARS.max}` };
  if (month < 1 || month > 12) return { error: `month ${month} does not exist` };
  if (day < 1 || day > daysIn(year, month)) return { error: `day ${day} does not exist in ${year}-${m[2]}` };
  if (hour > 23 || minute > 59 || second > 59)
    return { error: `${m[4]}:${m[5]}:${m[6]} is not a time of day` };
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - SPI_TIME_ZONE_OFFSET_HOURS * 3600_000;
  return { ms };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An instant as the SPI writes it (the sandbox and tests sign with it). */
export function formatSpiTime(ms: number): string {
  return new Date(ms + SPI_TIME_ZONE_OFFSET_HOURS * 3600_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');
}
