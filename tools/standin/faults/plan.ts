/**
 * The faults of one running stand-in: which requests they hit and what they answer instead. The
 * server asks on each request's arrival (before its body is read, so that one-off faults count
 * requests in the order they came, as the throttling quirk does), and once more with the route's
 * answer (a `links.next` to break). Everything is decided by the route's operation and the
 * request's method, path and query: no route handler knows about faults.
 */
import { authenticationFailed, invalidCompanyId, permissionDenied, serverError, throttled } from "../http/reply";
import type { Reply } from "../http/reply";
import type { Route } from "../http/route";
import { scopesOf } from "./catalog";
import type { CredentialKind, Fault, OneOffKind, Which } from "./catalog";

/** A request as the faults see it: its route, method, path and query. */
export interface Arrival {
  route: Route;
  method: string;
  path: string;
  query: ReadonlyMap<string, string>;
  /** The request's standard `Date` header, when it sent one (a paced client dates its reports). */
  date?: string;
}

/** A fault that fired and the request it hit: what the server reports to `onFault`. */
export interface FaultEvent {
  /** The fault's name, as given (`sweep-error=2`). */
  fault: string;
  operation: string;
  method: string;
  path: string;
  /** The status answered instead (or with, for a broken link), or "dropped" for a closed connection. */
  status: number | "dropped";
}

/** What a one-off fault does to a request on its arrival. */
export interface OneOffOutcome {
  /** The fault that takes the request: answered with `reply` (a 500) instead, or dropped when there is none. */
  instead?: { fault: Fault; reply?: Reply };
  /** `next-without-cursor` faults whose turn this request is: the answer decides whether they fire. */
  armed: Fault[];
}

type OneOff = Extract<Fault, { kind: OneOffKind }>;
type Credential = Extract<Fault, { kind: CredentialKind }>;

const DAY_MS = 86_400_000;

/** A 500 as a failing Klaviyo answers, nothing carried out. */
const FAULT_500 = (): Reply => serverError("A server error occurred. (stand-in fault: the request was not carried out)");

export class FaultPlan {
  private readonly persistent: Exclude<Fault, OneOff>[];
  private readonly oneOffs: OneOff[];
  /** Requests each one-off fault has seen that it concerns, and whether it fired. */
  private readonly seen = new Map<OneOff, number>();
  private readonly fired = new Set<OneOff>();
  /** Requests a credential fault with a `from` has counted before setting in, and those that set in. */
  private readonly before = new Map<Credential, number>();
  private readonly setIn = new Set<Credential>();

  /**
   * @param nowMs the account's "now": the time of a request that sends no `Date`, from which a
   *   spent daily limit counts the seconds to the next day.
   */
  constructor(faults: readonly Fault[], private readonly nowMs = Date.now()) {
    this.persistent = faults.filter((f): f is Exclude<Fault, OneOff> => !("which" in f));
    this.oneOffs = faults.filter((f): f is OneOff => "which" in f);
  }

  /**
   * The refusal a persistent fault answers this request with (a revoked key, a wrong company id, a
   * missing scope, a spent day), if any. Who is asking comes first, as Klaviyo authenticates before it checks
   * scopes: once the key is revoked, a request it lacks the scope for is a 401 too.
   */
  refusal(a: Arrival): { fault: Fault; reply: Reply } | undefined {
    const api = a.path.startsWith("/api/");
    for (const fault of this.persistent) {
      if (fault.kind === "revoked-key" && api && this.inEffect(fault, a)) return { fault, reply: authenticationFailed() };
      if (fault.kind === "invalid-company-id" && !api && this.inEffect(fault, a)) return { fault, reply: invalidCompanyId() };
    }
    for (const fault of this.persistent) {
      const needsScope = fault.kind === "missing-scope" && scopesOf(a.route.operation).includes(fault.scope);
      if (needsScope && api) return { fault, reply: permissionDenied() };
      if (fault.kind === "daily-limit-spent" && a.route.operation === fault.operation) return { fault, reply: throttled(this.secondsToNextDay(a)) };
    }
    return undefined;
  }

  /** Whether a credential fault refuses this request it concerns: always without `from`, else from the request it sets in with on. */
  private inEffect(fault: Credential, a: Arrival): boolean {
    if (!fault.from || this.setIn.has(fault)) return true;
    if (fault.from.operation !== undefined && fault.from.operation !== a.route.operation) return false;
    const n = (this.before.get(fault) ?? 0) + 1;
    this.before.set(fault, n);
    if (n < fault.from.nth) return false;
    this.setIn.add(fault);
    return true;
  }

  /**
   * Counts the request for each one-off fault it concerns; the first fault whose turn it is takes
   * it (the others do not count it, so two faults aimed at one request hit consecutive ones).
   */
  oneOff(a: Arrival): OneOffOutcome {
    const outcome: OneOffOutcome = { armed: [] };
    for (const fault of this.oneOffs) {
      if (this.fired.has(fault) || !concerns(fault, a)) continue;
      if (fault.kind === "next-without-cursor") {
        if (this.count(fault) >= fault.which.nth) outcome.armed.push(fault);
        continue;
      }
      if (outcome.instead) continue;
      if (this.count(fault) !== fault.which.nth) continue;
      this.fired.add(fault);
      outcome.instead = { fault, reply: fault.kind === "dropped-connection" ? undefined : FAULT_500() };
    }
    return outcome;
  }

  /** The route's answer, with its `links.next` stripped of `page[cursor]` when an armed fault fires on it. */
  reshape(armed: readonly Fault[], reply: Reply): { reply: Reply; fault?: Fault } {
    const fault = armed.find((f) => !this.fired.has(f as OneOff));
    const body = reply.body as { links?: { next?: unknown } } | undefined;
    const next = body?.links?.next;
    const url = typeof next === "string" ? new URL(next) : undefined;
    if (!fault || !body || !url?.searchParams.has("page[cursor]")) return { reply };
    this.fired.add(fault as OneOff);
    url.searchParams.delete("page[cursor]");
    return { reply: { ...reply, body: { ...body, links: { ...body.links, next: url.toString() } } }, fault };
  }

  /** Seconds from the request's time (its `Date`, else the account's now) to 00:00 UTC, when the day's limit starts again. */
  private secondsToNextDay(a: Arrival): number {
    const dated = Date.parse(a.date ?? "");
    const at = Number.isNaN(dated) ? this.nowMs : dated;
    return Math.ceil((Math.floor(at / DAY_MS) * DAY_MS + DAY_MS - at) / 1000);
  }

  private count(fault: OneOff): number {
    const n = (this.seen.get(fault) ?? 0) + 1;
    this.seen.set(fault, n);
    return n;
  }
}

/** Whether a one-off fault counts this request: of its operation (when it names one), and a later page for the sweep faults. */
function concerns(fault: { kind: OneOffKind; which: Which }, a: Arrival): boolean {
  if (fault.which.operation !== undefined && fault.which.operation !== a.route.operation) return false;
  if (fault.kind === "sweep-error" || fault.kind === "next-without-cursor") {
    return a.method === "GET" && a.path.startsWith("/api/") && a.query.has("page[cursor]");
  }
  return true;
}
