/**
 * The account's marketing as Klaviyo's Reporting API sees it: e-mail and SMS campaigns, e-mail
 * flows, their messages, and each message's sends (one a recipient) with what the recipient did with it. The
 * routes list campaigns and flows from here (routes/campaigns.ts, routes/flows.ts) and the reports
 * count the sends (reporting/); the seeded generator fills it (generator/campaigns.ts, flows.ts).
 * Also the sign-up form's views and submits (reporting/forms.ts).
 */

/** One message sent to one profile, and what followed: the unit every campaign and flow statistic counts. */
export interface Send {
  profileId: string;
  /** When it went out to this recipient (ms). */
  at: number;
  /** It bounced (an e-mail) or failed to be delivered (an SMS): never opened or clicked. */
  bounced: boolean;
  /** Each open (ms), in time order; empty when never opened (always, for an SMS: its opens are not tracked). */
  opens: number[];
  /** Each click (ms), in time order; every clicker opened first. */
  clicks: number[];
  /** When the recipient unsubscribed through this message (their "Unsubscribed" event), or null. */
  unsubscribedAt: number | null;
  /** The recipient marked it as spam (always one who also unsubscribed through it). */
  spamComplaint: boolean;
}

/** A send to `profileId` at `at` that nothing has followed yet. */
export function newSend(profileId: string, at: number, bounced = false): Send {
  return { profileId, at, bounced, opens: [], clicks: [], unsubscribedAt: null, spamComplaint: false };
}

/** The channels the demo's messages go out on. */
export type Channel = "email" | "sms";

/** What every message of a campaign or a flow has: its name, and everyone it was sent to. */
interface MessageBase {
  id: string;
  /** Its name in Klaviyo (`flow_message_name`, `campaign_message_name` in reports). */
  name: string;
  /** ISO datetime, the API's style. */
  created: string;
  /** In time order. */
  sends: Send[];
}

/** An e-mail message of a campaign or a flow. */
export interface EmailMessage extends MessageBase {
  channel: "email";
  subject: string;
  previewText: string;
}

/** A text message of a campaign (sent from the account's US toll-free number). */
export interface SmsMessage extends MessageBase {
  channel: "sms";
  body: string;
}

export type Message = EmailMessage | SmsMessage;

export interface DemoCampaign {
  /** A ULID, as Klaviyo's campaign ids are. */
  id: string;
  name: string;
  /** ISO datetimes, the API's style. */
  created: string;
  scheduled: string;
  sendTime: string;
  /** The lists and segments it was sent to. */
  audience: string[];
  message: Message;
}

/** What starts a flow, as `trigger_type` names it (the spec's enum). */
export type FlowTriggerType = "Added to List" | "Metric";

/** One step of a flow: wait, then send a message (two flow actions: `time-delay`, then `send-email`). */
export interface FlowStep {
  delayActionId: string;
  sendActionId: string;
  delay: { unit: "hours" | "days"; value: number };
  message: EmailMessage;
}

export interface DemoFlow {
  id: string;
  name: string;
  triggerType: FlowTriggerType;
  /** ISO datetimes, the API's style. */
  created: string;
  updated: string;
  steps: FlowStep[];
}

/** A day of the sign-up form's traffic (views are anonymous visitors: no profile events). */
export interface FormDay {
  /** 00:00 UTC of the day (ms). */
  day: number;
  /** Visitors the form's targeting let it show to. */
  qualified: number;
  qualifiedUniques: number;
  viewed: number;
  viewedUniques: number;
  closed: number;
  closedUniques: number;
}

/** A sign-up form: views and closes a day, and a submit for each newsletter sign-up it brought. */
export interface DemoForm {
  id: string;
  versionId: string;
  name: string;
  created: string;
  days: FormDay[];
  /** Each submit (ms): the times of the account's "Subscribed to List" events from the form. */
  submits: number[];
}

/** A profile's time in a segment: from `from` until `to` (ms; null while still a member). */
export interface MembershipSpan {
  profileId: string;
  from: number;
  to: number | null;
}
