/**
 * Routes whose operation's limits a client must pace itself to (the Reporting API: 1/s, 2/m,
 * 225/d; mapped metrics: 1/s, 15/m, 30/d): each request is counted against the limits that
 * `npm run spec` derives from the spec (http/paced-limits.ts) before it is answered.
 */
import { OPERATIONS } from "../../../src/operations";
import type { OperationFacts } from "../../../src/operations";
import { Refusal, refuse } from "../http/reply";
import type { Reply } from "../http/reply";
import type { Context } from "../http/route";

/** The operation's limits from the facts `npm run spec` derives from the spec. */
function limitOf(operation: string): OperationFacts["rateLimit"] {
  const facts = (OPERATIONS as Record<string, OperationFacts | undefined>)[operation];
  if (!facts) {
    throw new Error(`${operation} has no facts in src/operations.generated.ts: run npm run spec (it derives them from the spec).`);
  }
  return facts.rateLimit;
}

/** Runs `answer` if the paced limits admit the request; its reply (a refusal too) carries their headers. */
export function paced(ctx: Context, operation: string, answer: () => Reply): Reply {
  const admission = ctx.state.paced.admit(operation, limitOf(operation), ctx.request);
  if ("refused" in admission) return admission.refused;
  const withHeaders = (reply: Reply): Reply => ({ ...reply, headers: { ...admission.headers, ...reply.headers } });
  try {
    return withHeaders(answer());
  } catch (err) {
    if (err instanceof Refusal) return refuse(withHeaders(err.reply));
    throw err;
  }
}
