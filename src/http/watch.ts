/**
 * What the last requests of a step were: the transport hooks report every request and answer here,
 * so a step whose own code met a failed answer without throwing it as such (plain `fetch` resolves
 * on a 403; a cell then throws its own error) can still say which request failed, and how.
 */
import type { Exchange, OutgoingRequest } from "./transport";

/** A position in the stream of requests, taken when a step starts. */
export type WatchMark = number;

/** Watches the guide's requests; `connect()` feeds it from the transport hooks. */
export interface RequestWatch {
  /** Hook: a request is about to be sent. */
  sent(request: OutgoingRequest): void;
  /** Hook: an answer came in, whatever its status. */
  answered(exchange: Exchange): void;
  /** The current position, to ask later what happened since. */
  mark(): WatchMark;
  /** The last answer with a status of 400 or more since `mark`, if any. */
  failedSince(mark: WatchMark): Exchange | undefined;
  /** The last request sent since `mark`, if any (the one a network error was about). */
  sentSince(mark: WatchMark): OutgoingRequest | undefined;
}

/**
 * A watch that keeps only the last request and the last failed answer, with their positions.
 *
 * @example
 * const watch = createRequestWatch();
 * const since = watch.mark();
 * await fetch(url); // through the transport hooks
 * watch.failedSince(since)?.status // 403
 */
export function createRequestWatch(): RequestWatch {
  let position = 0;
  let lastSent: { at: number; request: OutgoingRequest } | undefined;
  let lastFailed: { at: number; exchange: Exchange } | undefined;
  return {
    sent(request) {
      position += 1;
      lastSent = { at: position, request };
    },
    answered(exchange) {
      position += 1;
      if (exchange.status >= 400) lastFailed = { at: position, exchange };
    },
    mark: () => position,
    failedSince: (mark) => (lastFailed && lastFailed.at > mark ? lastFailed.exchange : undefined),
    sentSince: (mark) => (lastSent && lastSent.at > mark ? lastSent.request : undefined),
  };
}
