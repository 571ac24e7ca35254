/**
 * First-time vs returning buyers for a sale window (Black Friday / Cyber Monday), from order events.
 *
 * The 2022 guide asked the API, for every order in the window, for that customer's first order:
 * one request per order. Here one paginated sweep of order events (sparse fieldsets: datetime and
 * the profile relationship) is reduced in memory to each profile's first order: a plain `Map` loop
 * handles 200 000 events in well under a second, where a danfojs group-by with as many groups
 * takes many seconds. Both functions accept arrays, generators and async iterables (e.g.
 * `rawItems(...)` mapped through `orderEvent`), so a sweep is reduced while it streams.
 */

/** One order: who and when. */
export interface OrderEvent {
  profileId: string;
  datetime: Date | string;
}

/** The parts of an event (SDK model or raw JSON:API resource) that `orderEvent` reads. */
export interface EventLike {
  attributes?: { datetime?: unknown };
  relationships?: { profile?: { data?: { id: string } | Array<{ id: string }> | null } };
}

/**
 * An `OrderEvent` from an SDK or raw event; `undefined` when it has no profile or datetime.
 *
 * @example
 * const order = orderEvent(sdkEvent); // { profileId: "01J…", datetime: Date }
 */
export function orderEvent(ev: EventLike): OrderEvent | undefined {
  const data = ev.relationships?.profile?.data;
  const profileId = Array.isArray(data) ? data[0]?.id : data?.id;
  const datetime = ev.attributes?.datetime;
  if (!profileId || !(datetime instanceof Date || typeof datetime === "string")) return undefined;
  return { profileId, datetime };
}

/**
 * Each profile's earliest order.
 *
 * @example
 * const first = firstOrderByProfile([{ profileId: "p1", datetime: "2024-03-01T10:00:00Z" }]);
 * first.get("p1") // Date 2024-03-01T10:00:00.000Z
 */
export function firstOrderByProfile(events: Iterable<OrderEvent>): Map<string, Date>;
export function firstOrderByProfile(events: AsyncIterable<OrderEvent>): Promise<Map<string, Date>>;
export function firstOrderByProfile(events: Iterable<OrderEvent> | AsyncIterable<OrderEvent>): Map<string, Date> | Promise<Map<string, Date>> {
  return feed(events, new FirstOrders());
}

/** Epoch numbers while reducing: a Date per event would cost an allocation each. */
class FirstOrders {
  private readonly first = new Map<string, number>();

  add(e: OrderEvent): void {
    const t = toMs(e.datetime, e.profileId);
    const seen = this.first.get(e.profileId);
    if (seen === undefined || t < seen) this.first.set(e.profileId, t);
  }

  result(): Map<string, Date> {
    const out = new Map<string, Date>();
    for (const [id, t] of this.first) out.set(id, new Date(t));
    return out;
  }
}

/** One row per day of the window: orders by first-time and by returning buyers. */
export interface DayRow {
  day: string;
  firstTimeOrders: number;
  returningOrders: number;
}

/** Buyers in the window split by whether they had ordered before it. */
export interface BuyerSplit {
  firstTime: Set<string>;
  returning: Set<string>;
  perDay: DayRow[];
}

/** The sale window: `start` inclusive, `end` exclusive (e.g. Black Friday 00:00 to the day after Cyber Monday). */
export interface SaleWindow {
  start: Date;
  end: Date;
}

/** Options for `classifyBuyers`. */
export interface ClassifyOptions {
  /** IANA time zone for day boundaries (default "UTC"); use the account's time zone to match its reports. */
  timeZone?: string;
}

/**
 * Splits the window's buyers: returning when their first order is before `window.start`,
 * first-time otherwise. Orders outside the window are skipped, so the same sweep can feed both
 * functions. `firstOrders` needs every profile's first order before the window (orders inside it
 * may be included or not: they never make a buyer returning).
 *
 * @example
 * const bfcm = { start: new Date("2025-11-28T00:00:00Z"), end: new Date("2025-12-02T00:00:00Z") };
 * const split = classifyBuyers(orders, firstOrderByProfile(orders), bfcm);
 * split.firstTime.size; split.perDay; // [{ day: "2025-11-28", firstTimeOrders: 41, returningOrders: 12 }, …]
 */
export function classifyBuyers(orders: Iterable<OrderEvent>, firstOrders: ReadonlyMap<string, Date>, window: SaleWindow, opts?: ClassifyOptions): BuyerSplit;
export function classifyBuyers(orders: AsyncIterable<OrderEvent>, firstOrders: ReadonlyMap<string, Date>, window: SaleWindow, opts?: ClassifyOptions): Promise<BuyerSplit>;
export function classifyBuyers(
  orders: Iterable<OrderEvent> | AsyncIterable<OrderEvent>,
  firstOrders: ReadonlyMap<string, Date>,
  window: SaleWindow,
  opts: ClassifyOptions = {},
): BuyerSplit | Promise<BuyerSplit> {
  return feed(orders, new Classifier(firstOrders, window, opts.timeZone ?? "UTC"));
}

class Classifier {
  private readonly start: number;
  private readonly end: number;
  private readonly dayOf: (ms: number) => string;
  private readonly firstTime = new Set<string>();
  private readonly returning = new Set<string>();
  private readonly days = new Map<string, DayRow>();

  constructor(
    private readonly firstOrders: ReadonlyMap<string, Date>,
    window: SaleWindow,
    timeZone: string,
  ) {
    this.start = window.start.getTime();
    this.end = window.end.getTime();
    if (Number.isNaN(this.start) || Number.isNaN(this.end) || this.end <= this.start) {
      throw new RangeError(`classifyBuyers: the window must have valid dates with start before end (got ${String(window.start)} – ${String(window.end)}).`);
    }
    this.dayOf = dayFormatter(timeZone);
  }

  add(e: OrderEvent): void {
    const t = toMs(e.datetime, e.profileId);
    if (t < this.start || t >= this.end) return;
    const before = this.firstOrders.get(e.profileId);
    const isReturning = before !== undefined && before.getTime() < this.start;
    (isReturning ? this.returning : this.firstTime).add(e.profileId);
    const day = this.dayOf(t);
    let row = this.days.get(day);
    if (!row) this.days.set(day, (row = { day, firstTimeOrders: 0, returningOrders: 0 }));
    if (isReturning) row.returningOrders += 1;
    else row.firstTimeOrders += 1;
  }

  result(): BuyerSplit {
    const perDay = [...this.days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    return { firstTime: this.firstTime, returning: this.returning, perDay };
  }
}

function toMs(datetime: Date | string, profileId: string): number {
  const t = typeof datetime === "string" ? Date.parse(datetime) : datetime.getTime();
  if (Number.isNaN(t)) throw new RangeError(`Order of profile ${profileId} has an unreadable datetime ${JSON.stringify(datetime)}; expected ISO 8601.`);
  return t;
}

function dayFormatter(timeZone: string): (ms: number) => string {
  if (timeZone === "UTC") return (ms) => new Date(ms).toISOString().slice(0, 10);
  // en-CA formats as YYYY-MM-DD.
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (ms) => fmt.format(ms);
}

/**
 * Feeds every item to the reducer: synchronously for an array or other iterable (a cell gets its
 * answer without `await`), asynchronously for a stream of pages still arriving.
 */
function feed<T, R>(items: Iterable<T> | AsyncIterable<T>, reducer: { add(item: T): void; result(): R }): R | Promise<R> {
  if (typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === "function") {
    return (async () => {
      for await (const item of items as AsyncIterable<T>) reducer.add(item);
      return reducer.result();
    })();
  }
  for (const item of items as Iterable<T>) reducer.add(item);
  return reducer.result();
}
