/**
 * Klaviyo's error documents, read and printed so a guide shows what went wrong in one line per
 * error instead of a stack trace.
 *
 * Every 4XX/5XX answer of the API is `{ errors: [{ id, code, title, detail, source? }] }` (spec
 * schemas `ClientError` / `ServerError`). Live responses have also carried `status` and `meta` in
 * each item, which the spec does not declare, so both are optional here.
 */

/**
 * One error object of a JSON:API `errors[]` array, as Klaviyo sends it (snake_case, raw JSON).
 * Data, not a thrown `Error`: the helpers' thrown errors extend `GuideError` (src/errors.ts).
 */
export interface ApiErrorObject {
  id: string;
  /** Machine-readable, e.g. "invalid". */
  code: string;
  /** Short summary, e.g. "Invalid input.". */
  title: string;
  /** What exactly was wrong, e.g. "Invalid phone number format". */
  detail: string;
  /** Where: a JSON pointer into the request body, or the name of a query parameter. */
  source?: { pointer?: string; parameter?: string };
  /** Not declared by the spec; prefer the HTTP status. */
  status?: number;
  meta?: object;
}

/** `id` of error items made up locally when the server's answer had no usable `errors[]`. */
export const LOCAL_ERROR_ID = "local";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);
}

function toApiError(item: unknown): ApiErrorObject {
  const e = isRecord(item) ? item : { detail: item };
  const error: ApiErrorObject = { id: text(e.id), code: text(e.code), title: text(e.title), detail: text(e.detail) };
  if (isRecord(e.source)) {
    const source: ApiErrorObject["source"] = {};
    if (typeof e.source.pointer === "string") source.pointer = e.source.pointer;
    if (typeof e.source.parameter === "string") source.parameter = e.source.parameter;
    error.source = source;
  }
  const status = typeof e.status === "string" ? Number(e.status) : e.status;
  if (typeof status === "number" && Number.isFinite(status)) error.status = status;
  if (isRecord(e.meta)) error.meta = e.meta;
  return error;
}

/**
 * The `errors[]` of an error document, given as parsed JSON or as JSON text. Returns `[]` when the
 * body is not such a document (empty, not JSON, or without an `errors` array).
 *
 * @example
 * parseApiErrors('{"errors":[{"id":"1","code":"invalid","title":"Invalid input.","detail":"…"}]}')
 */
export function parseApiErrors(body: unknown): ApiErrorObject[] {
  let doc = body;
  if (typeof body === "string") {
    try {
      doc = JSON.parse(body);
    } catch {
      return [];
    }
  }
  if (!isRecord(doc) || !Array.isArray(doc.errors)) return [];
  return doc.errors.map(toApiError);
}

/**
 * The errors of a failed HTTP answer, never empty: when the body holds no `errors[]` (an HTML page
 * from a proxy, an empty 500), one item made up here says so and quotes the start of the body.
 */
export function errorsFromResponse(status: number, statusText: string, body: string, contentType?: string | null): ApiErrorObject[] {
  const parsed = parseApiErrors(body);
  if (parsed.length > 0) return parsed;
  const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  const detail =
    body.trim() === ""
      ? "The response body was empty."
      : `The response body (${contentType ?? "no content-type"}) is not a JSON:API error document: ${JSON.stringify(excerpt)}`;
  return [{ id: LOCAL_ERROR_ID, code: "unparsed_error_body", title: `HTTP ${status}${statusText ? ` ${statusText}` : ""}`, detail, status }];
}

/**
 * One readable line per error: status, code, title, detail and where.
 *
 * @example
 * formatApiErrors(result.errors, result.status)
 * // "400 invalid — Invalid input.: Invalid phone number format (at /data/attributes/phone_number)"
 */
export function formatApiErrors(errors: readonly ApiErrorObject[], httpStatus?: number): string {
  if (errors.length === 0) return "(no errors)";
  return errors
    .map((e) => {
      const status = e.status ?? httpStatus;
      const where = e.source?.pointer
        ? ` (at ${e.source.pointer})`
        : e.source?.parameter
          ? ` (query parameter ${e.source.parameter})`
          : "";
      return `${status === undefined ? "" : `${status} `}${e.code} — ${e.title}: ${e.detail}${where}`;
    })
    .join("\n");
}

/** The parts of an AxiosError (thrown by klaviyo-api) the helpers read; checked at run time. */
export interface AxiosLikeError {
  isAxiosError: true;
  message: string;
  code?: string;
  config?: { method?: string; url?: string };
  response?: { status: number; statusText?: string; data?: unknown; headers?: Record<string, unknown> };
}

/** Whether `err` is an AxiosError (klaviyo-api throws them), by its `isAxiosError` flag. */
export function isAxiosLike(err: unknown): err is AxiosLikeError {
  return isRecord(err) && err.isAxiosError === true;
}

/**
 * A readable account of any error a guide cell can meet, without a stack trace. For an AxiosError
 * from klaviyo-api (a 4xx/5xx), the request line and the API's `errors[]`, which the SDK leaves as
 * raw snake_case JSON in `err.response.data`; for a network failure, what failed; for anything else
 * (a `ValidationError`, say), its name and message.
 *
 * @example
 * try { await kv.profiles.getProfile("nope"); } catch (err) { console.log(describeSdkError(err)); }
 * // GET https://a.klaviyo.com/api/profiles/nope → 404 Not Found
 * // 404 not_found — Not found.: A profile with id nope does not exist.
 */
export function describeSdkError(err: unknown): string {
  if (isAxiosLike(err)) {
    const request = `${(err.config?.method ?? "request").toUpperCase()} ${err.config?.url ?? "(unknown URL)"}`;
    const res = err.response;
    if (res === undefined) return `${request} failed without a response: ${err.code ? `${err.code}: ` : ""}${err.message}`;
    const body = typeof res.data === "string" ? res.data : JSON.stringify(res.data ?? "");
    const contentType = res.headers?.["content-type"];
    const errors = errorsFromResponse(res.status, res.statusText ?? "", body, typeof contentType === "string" ? contentType : null);
    const retryAfter = res.headers?.["retry-after"];
    const retry = res.status === 429 && retryAfter !== undefined ? ` (Retry-After: ${text(retryAfter)} s)` : "";
    return `${request} → ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${retry}\n${formatApiErrors(errors, res.status)}`;
  }
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
