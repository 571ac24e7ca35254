/**
 * `connect(guide)`: the one set-up call of a notebook. It resolves the mode, wires the SDK objects and
 * the client-side requester to the right server, installs replay / record / write-guard hooks, and
 * prints one line saying what the answers will come from.
 */
import { relative } from "node:path";
import type NockModule from "nock";
import { ApiKeySession, CampaignsApi, DataPrivacyApi, EventsApi, FlowsApi, ListsApi, MetricsApi, ProfilesApi, ReportingApi, SegmentsApi } from "klaviyo-api";
import { createClientApi, type ClientApi } from "./client-side";
import { loadConfig, type GuideConfig, type Mode } from "./config";
import type { Guide } from "./guides";
import { makeClock, runningClock, useConnectionClock, type Clock } from "./clock";
import { FixtureMissingError } from "./errors";
import { readFixtureFile, type FixtureFile } from "./fixtures/format";
import { startRecording } from "./fixtures/record";
import { defineReplay } from "./fixtures/replay";
import type { ParamsRecord } from "./params";
import { installTransportHooks, type TransportHooks } from "./http/transport";
import { createRequestWatch, type RequestWatch } from "./http/watch";
import { createSteps, type StepOptions, type Steps } from "./steps";
import { guardedWrite, writeGuard, type WriteResult } from "./write-guard";
import { createReportPacer, pacedReporting, type PacedReporting } from "./reporting";
import { guideRetryPolicy, singleAttemptPolicy } from "./retry";
import { SETTINGS, WRITES_ON } from "./settings";

/** What a notebook works with after `const kv = await connect("customer-data")`. */
export interface Connection {
  guide: Guide;
  mode: Mode;
  /** The API revision klaviyo-api sends, e.g. "2026-07-15". */
  revision: string;
  /** "https://a.klaviyo.com" unless KLAVIYO_BASE_URL says otherwise. */
  baseUrl: string;
  /** company_id; in replay the fixture's demo value. */
  publicKey: string;
  profiles: ProfilesApi;
  lists: ListsApi;
  segments: SegmentsApi;
  metrics: MetricsApi;
  events: EventsApi;
  campaigns: CampaignsApi;
  flows: FlowsApi;
  /** Deletion requests (GDPR/CCPA). */
  dataPrivacy: DataPrivacyApi;
  /**
   * The Reporting API (campaigns, flows, segments, forms), paced: each report waits for its
   * operation's next slot on the connection's clock and is answered once (src/reporting/).
   */
  reporting: PacedReporting;
  /** Client-side requester (`/client/*`), bound to baseUrl, publicKey and revision. */
  client: ClientApi;
  /** Headers for plain-fetch cells against `/api/*`: Authorization, revision, accept. */
  serverHeaders(): Record<string, string>;
  /** Replay: the fixture's recordedAt; else KLAVIYO_CLOCK or the real time. */
  now(): Date;
  /** The clock `now()` reads; helpers that wait (the reporting pacer) wait on it (src/clock.ts). */
  clock: Clock;
  /** Whether requests that change the account are sent (in replay: as in the run that recorded the fixture; they only reach the fixture). */
  writesAllowed: boolean;
  /** How `guideParams` learns a recording's parameters (replay) or notes them in one (record). */
  paramsRecord: ParamsRecord;
  /**
   * Runs a write; when the guard blocks it, prints the request instead and returns `{ sent: false }`.
   * A failure the reader can act on prints one line; with `{ needs }`, it is not sent after a failed read.
   */
  write<T>(label: string, send: () => Promise<T>, options?: StepOptions): Promise<WriteResult<T>>;
  /** Runs a read; when a request fails, prints one line and returns `fallback` (src/steps.ts). */
  read<T>(what: string, read: () => Promise<T>, fallback: T, options?: StepOptions): Promise<T>;
  /** Runs what depends on earlier reads; if one failed, prints one line and returns `fallback`. */
  after: Steps["after"];
}

/** Sent in replay so no real key is ever needed or exposed; fixtures match without headers. */
const REPLAY_KEY = "replay-mode-no-key";

/** Undoes the previous connect() in this process (a re-run notebook cell), so hooks never pile up. */
let teardown: (() => void) | undefined;
/** nock is loaded only once replay is used: importing it patches http and fetch. */
let nockModule: typeof NockModule | undefined;

function resetTransport(): void {
  teardown?.();
  teardown = undefined;
  useConnectionClock(runningClock());
  if (nockModule) {
    nockModule.cleanAll();
    nockModule.restore();
    nockModule.enableNetConnect();
  }
}

async function startReplay(config: GuideConfig, fixture: FixtureFile): Promise<TransportHooks> {
  nockModule ??= (await import("nock")).default;
  const nock = nockModule;
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  defineReplay(nock, fixture, config.baseUrl);
  return {
    origin: new URL(config.baseUrl).origin,
    onNoMatch: ({ method, url, body }) => FixtureMissingError.forRequest({ method, url, body }, config.fixtureFile, config.envFile, config.keyVariable),
  };
}

/** Both hooks of a kind run: the watch sees a request before the write guard may stop it, and every answer. */
function watched(hooks: TransportHooks, watch: RequestWatch): TransportHooks {
  const { beforeSend, afterResponse } = hooks;
  return {
    ...hooks,
    beforeSend: (request) => {
      watch.sent(request);
      beforeSend?.(request);
    },
    afterResponse: (exchange) => {
      afterResponse?.(exchange);
      watch.answered(exchange);
    },
  };
}

/** The revision header the SDK itself sets (read from a session, not restated here). */
function sdkRevision(): string {
  const probe: { headers: Record<string, string> } = { headers: {} };
  new ApiKeySession(REPLAY_KEY).applyToRequest(probe);
  return probe.headers.revision;
}

function describe(config: GuideConfig, fixture: FixtureFile | undefined, publicKey: string): string {
  const file = relative(config.projectRoot, config.fixtureFile).startsWith("..") ? config.fixtureFile : relative(config.projectRoot, config.fixtureFile);
  if (config.mode === "replay" && fixture) {
    const writesOff = fixture.allowWrites === false ? " Writes are off, as they were when it was recorded." : "";
    return `Mode: replay: answers come from ${file} (recorded ${fixture.recordedAt}, account with public key ${fixture.publicKey || "(none)"}). No request leaves this process.${writesOff}`;
  }
  const account = publicKey ? `the account with public key ${publicKey}` : `the account of ${SETTINGS.privateKey}`;
  const switchOn = `${SETTINGS.allowWrites}=${WRITES_ON}`;
  const writes = config.allowWrites ? `Writes are on (${switchOn}).` : `Writes are off (set ${switchOn}).`;
  const saved = config.mode === "record" ? ` Every exchange is saved, scrubbed, to ${file}.` : "";
  return `Mode: ${config.mode}: requests go to ${config.baseUrl} for ${account}.${saved} ${writes}`;
}

/**
 * Connects a guide to its answers: replay (fixtures), live (real requests) or record (live, saved).
 * Calling it again replaces the previous connection's hooks.
 *
 * @example
 * const kv = await connect("customer-data");
 * const { body } = await kv.profiles.getProfiles({ pageSize: 5 });
 */
export async function connect(guide: Guide): Promise<Connection> {
  resetTransport();
  const config = loadConfig(guide);
  const revision = sdkRevision();

  let fixture: FixtureFile | undefined;
  let hooks: TransportHooks;
  let paramsRecord: ParamsRecord = {};
  // A replay refuses writes when the run it recorded did (they were never sent, so never recorded).
  let writesAllowed = config.allowWrites;
  if (config.mode === "replay") {
    fixture = readFixtureFile(config.fixtureFile);
    if (!fixture) throw FixtureMissingError.forFile(config.fixtureFile, config.envFile, config.keyVariable);
    hooks = await startReplay(config, fixture);
    writesAllowed = fixture.allowWrites !== false;
    paramsRecord = { recorded: fixture.params };
  } else {
    hooks = { origin: new URL(config.baseUrl).origin };
    if (config.mode === "record") {
      const recorder = startRecording({
        file: config.fixtureFile, revision, recordedAt: config.clock ?? new Date(), publicKey: config.publicKey ?? "", allowWrites: config.allowWrites,
      });
      hooks.afterResponse = recorder.append;
      paramsRecord = { note: recorder.noteParams };
    }
  }
  if (!writesAllowed) hooks.beforeSend = writeGuard(config.envFile);
  const watch = createRequestWatch();
  const removeHooks = installTransportHooks(watched(hooks, watch));
  teardown = removeHooks;

  const key = config.mode === "replay" ? REPLAY_KEY : config.privateKey ?? "";
  const publicKey = (config.mode === "replay" ? fixture?.publicKey : config.publicKey) ?? "";
  const session = new ApiKeySession(key, guideRetryPolicy());
  const withBase = <T extends { basePath: string }>(api: T): T => {
    api.basePath = config.baseUrl;
    return api;
  };
  const clock = makeClock(config.mode, fixture ? new Date(fixture.recordedAt) : undefined, config.clock);
  // Polling, pacing and retries wait on it: in replay (and with KLAVIYO_CLOCK) at once.
  useConnectionClock(clock);
  // The pacer retries reports on the connection's clock; the SDK's own retry would sleep for real.
  const reporting = pacedReporting(withBase(new ReportingApi(new ApiKeySession(key, singleAttemptPolicy()))), createReportPacer({ clock }));
  const steps = createSteps({ guard: (label, send) => guardedWrite(label, send, config.envFile), watch });

  console.log(describe(config, fixture, publicKey));
  return {
    guide, mode: config.mode, revision, baseUrl: config.baseUrl, publicKey,
    profiles: withBase(new ProfilesApi(session)),
    lists: withBase(new ListsApi(session)),
    segments: withBase(new SegmentsApi(session)),
    metrics: withBase(new MetricsApi(session)),
    events: withBase(new EventsApi(session)),
    campaigns: withBase(new CampaignsApi(session)),
    flows: withBase(new FlowsApi(session)),
    dataPrivacy: withBase(new DataPrivacyApi(session)),
    reporting,
    client: createClientApi({ baseUrl: config.baseUrl, publicKey, revision }),
    serverHeaders: () => ({ Authorization: `Klaviyo-API-Key ${key}`, revision, accept: "application/vnd.api+json" }),
    now: () => clock.now(),
    clock,
    writesAllowed,
    paramsRecord,
    write: steps.write,
    read: steps.read,
    after: steps.after,
  };
}

/** Removes every hook connect() installed and lets requests through again (tests, end of a script). */
export function disconnect(): void {
  resetTransport();
}
