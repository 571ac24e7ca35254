/**
 * Wall-clock time in a time zone, for the answers that read or write it: metric aggregates (the
 * query's `timezone`) and the Reporting API (the company's time zone). Built on `Intl`, so every IANA
 * zone works without a table of offsets.
 */

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function validTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== "string") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** [year, month 0-11, day, hour, minute, second] of an instant in a time zone. */
export function zonedParts(ms: number, timeZone: string): number[] {
  const date = { year: "numeric", month: "numeric", day: "numeric" } as const;
  const time = { hour: "numeric", minute: "numeric", second: "numeric" } as const;
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", ...date, ...time });
  const part = (type: string): number => Number(fmt.formatToParts(ms).find((p) => p.type === type)?.value);
  return [part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second")];
}

function offsetMs(ms: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = zonedParts(ms, timeZone);
  return Date.UTC(y, mo, d, h, mi, s) - Math.floor(ms / 1000) * 1000;
}

/** The instant whose wall-clock time in `timeZone` is `parts` (Date.UTC normalises overflowing days and months). */
export function zonedToUtc(parts: number[], timeZone: string): number {
  const [y, mo, d, h, mi, s] = parts;
  const wall = Date.UTC(y, mo, d, h, mi, s);
  const first = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(first, timeZone);
}

/** `2025-10-01T00:00:00+00:00`: the instant as wall-clock time in the zone, with its offset. */
export function zonedIso(ms: number, timeZone: string): string {
  const offset = offsetMs(ms, timeZone) / 60_000;
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
