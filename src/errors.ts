/**
 * Errors a guide reader can meet before any API answer: they say what happened, where, and the
 * next step, because a notebook cell shows only the message.
 *
 * Every error class of the helpers extends `GuideError`, which sets `name` to the class's own name,
 * so `describeSdkError` and a printed stack both say which error it was, and
 * `err instanceof GuideError` tells the helpers' own errors from the SDK's and the runtime's.
 * (Argument mistakes stay the built-in `TypeError` / `RangeError`.)
 */
import { SETTINGS, WRITES_ON } from "./settings";

/**
 * Base class of the helpers' errors: `name` is the concrete class's name (`"ValidationError"`),
 * set here once rather than in each subclass.
 *
 * @example
 * try { await kv.client.createEvent(event); } catch (err) { if (err instanceof GuideError) console.log(err.name, err.message); }
 */
export class GuideError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The parts of an HTTP request worth showing when it was not sent or not answered. */
export interface RequestSummary {
  method: string;
  url: string;
  /** Parsed JSON body, the raw text when it is not JSON, or "" when there is none. */
  body: unknown;
}

/** A request the write guard stopped, as `kv.write` reports it (headers already redacted). */
export interface BlockedRequest extends RequestSummary {
  headers: Record<string, string>;
}

/** Pretty body for messages: JSON indented, text as is, "(none)" when empty. */
export function formatBody(body: unknown): string {
  if (body === "" || body === undefined || body === null) return "(none)";
  return typeof body === "string" ? body : JSON.stringify(body, null, 2);
}

/** One indented request line plus its body, for multi-line messages. */
function describe(request: RequestSummary): string {
  const body = formatBody(request.body).replace(/\n/g, "\n    ");
  return `  ${request.method.toUpperCase()} ${request.url}\n  body: ${body}`;
}

/**
 * Replay mode cannot answer: either the guide's fixture file is missing, or it holds no recorded
 * exchange for this exact request (method, path, query and JSON body).
 */
export class FixtureMissingError extends GuideError {
  private constructor(
    message: string,
    /** The fixture file replay read, or would have read. */
    readonly fixtureFile: string,
    /** The unanswered request; absent when the whole file is missing. */
    readonly request?: RequestSummary,
  ) {
    super(message);
  }

  /** The fixture file itself does not exist. */
  static forFile(fixtureFile: string, envFile: string, keyVariable: string): FixtureMissingError {
    return new FixtureMissingError(
      `Replay mode needs the fixture file ${fixtureFile}, and it does not exist.\n` +
        `Record it with \`npm run fixtures\`, or run live: set ${keyVariable} in ${envFile}.`,
      fixtureFile,
    );
  }

  /** The file exists but no recorded exchange matches this request. */
  static forRequest(request: RequestSummary, fixtureFile: string, envFile: string, keyVariable: string): FixtureMissingError {
    return new FixtureMissingError(
      `Replay has no recorded answer for this request, so it was not sent:\n${describe(request)}\n` +
        `Fixture file: ${fixtureFile} (matching is exact on method, path, query and JSON body).\n` +
        `If the guide's requests changed, re-record with \`npm run fixtures\`; or run live: set ${keyVariable} in ${envFile}.`,
      fixtureFile,
      request,
    );
  }
}

/** Live or record mode was asked for (or implied) without the API key the guide needs. */
export class MissingKeyError extends GuideError {
  constructor(
    /** The environment variable to set, e.g. `KLAVIYO_PRIVATE_KEY`. */
    readonly variable: string,
    /** Where connect() reads `.env` from. */
    readonly envFile: string,
    why: string,
  ) {
    super(
      `${why}, but ${variable} is not set.\n` +
        `Add a line \`${variable}=…\` to ${envFile} (or export it in the shell that starts Jupyter), ` +
        `or remove ${SETTINGS.mode} to replay the recorded answers instead.`,
    );
  }
}

/** The write guard stopped a request that would change the account (live/record without opt-in). */
export class WriteBlockedError extends GuideError {
  constructor(
    /** What would have been sent; the Authorization header is redacted. */
    readonly request: BlockedRequest,
    envFile: string,
  ) {
    super(
      `Not sent: this request would change the Klaviyo account, and writes are off:\n${describe(request)}\n` +
        `To send it, set ${SETTINGS.allowWrites}=${WRITES_ON} in ${envFile} and connect again.`,
    );
  }
}

/** A fixture file exists but cannot be used: not JSON, or missing the fields replay needs. */
export class FixtureInvalidError extends GuideError {
  constructor(
    /** The fixture file that was read. */
    readonly fixtureFile: string,
    /** What is wrong with it, e.g. `lacks a valid "recordedAt"`. */
    problem: string,
  ) {
    super(`Fixture file ${fixtureFile} ${problem}; re-record it with \`npm run fixtures\`.`);
  }
}
