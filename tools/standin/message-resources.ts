/**
 * JSON:API renderings of the account's campaigns (e-mail and SMS) and flows (marketing.ts), shaped like revision
 * 2026-07-15's `campaign`, `campaign-message`, `flow`, `flow-action` and `flow-message` resources.
 * A flow's steps are two actions each: a `time-delay`, then a `send-email` holding its message.
 */
import { API_ORIGIN } from "../../src/api-origin";
import type { JsonObject } from "./account";
import type { DemoCampaign, DemoFlow, EmailMessage, FlowStep } from "./marketing";
import { sparse } from "./resources";

/** Who the store's e-mails come from. */
const SENDER = { from_email: "hello@example.com", from_label: "DemoCo Outfitters" };

const PATHS = {
  campaign: "campaigns",
  "campaign-message": "campaign-messages",
  flow: "flows",
  "flow-action": "flow-actions",
  "flow-message": "flow-messages",
} as const;
type MessageResource = keyof typeof PATHS;

function self(type: MessageResource, id: string): string {
  return `${API_ORIGIN}/api/${PATHS[type]}/${id}/`;
}

/** A relationship block with its links, and its data when given. */
function relation(type: MessageResource, id: string, name: string, data?: JsonObject | JsonObject[]): JsonObject {
  const block: JsonObject = { links: { self: `${self(type, id)}relationships/${name}/`, related: `${self(type, id)}${name}/` } };
  if (data !== undefined) block.data = data;
  return block;
}

function resource(type: MessageResource, id: string, attributes: JsonObject, relationships: JsonObject, fields?: string[]): JsonObject {
  return { type, id, attributes: sparse(attributes, fields), relationships, links: { self: self(type, id) } };
}

/** A campaign; with `withMessages`, its message named in the relationship (include=campaign-messages). */
export function renderCampaign(campaign: DemoCampaign, fields?: string[], withMessages = false): JsonObject {
  const attributes: JsonObject = {
    name: campaign.name,
    status: "Sent",
    archived: false,
    audiences: { included: campaign.audience, excluded: [] },
    send_options: { use_smart_sending: true },
    tracking_options:
      campaign.message.channel === "email"
        ? { add_tracking_params: false, custom_tracking_params: null, is_tracking_clicks: true, is_tracking_opens: true }
        : { add_tracking_params: false, custom_tracking_params: null },
    send_strategy: { method: "static", datetime: campaign.sendTime, options: { is_local: false } },
    created_at: campaign.created,
    scheduled_at: campaign.scheduled,
    updated_at: campaign.sendTime,
    send_time: campaign.sendTime,
  };
  const messages = withMessages ? [{ type: "campaign-message", id: campaign.message.id }] : undefined;
  const relationships = {
    "campaign-messages": relation("campaign", campaign.id, "campaign-messages", messages),
    tags: relation("campaign", campaign.id, "tags"),
  };
  return resource("campaign", campaign.id, attributes, relationships, fields);
}

export function renderCampaignMessage(campaign: DemoCampaign, fields?: string[]): JsonObject {
  const { message } = campaign;
  const content: JsonObject =
    message.channel === "email"
      ? { subject: message.subject, preview_text: message.previewText, ...SENDER }
      : { body: message.body, media_url: null };
  const attributes: JsonObject = {
    definition: { channel: message.channel, label: message.name, content },
    send_times: [{ datetime: campaign.sendTime, is_local: false }],
    created_at: message.created,
    updated_at: campaign.sendTime,
  };
  const relationships = {
    campaign: relation("campaign-message", message.id, "campaign", { type: "campaign", id: campaign.id }),
    template: relation("campaign-message", message.id, "template"),
    image: relation("campaign-message", message.id, "image"),
  };
  return resource("campaign-message", message.id, attributes, relationships, fields);
}

/** A flow; with `withActions`, its actions named in the relationship (include=flow-actions). */
export function renderFlow(flow: DemoFlow, fields?: string[], withActions = false): JsonObject {
  const attributes: JsonObject = {
    name: flow.name,
    status: "live",
    archived: false,
    created: flow.created,
    updated: flow.updated,
    trigger_type: flow.triggerType,
  };
  const actions = withActions ? flowActions(flow).map(({ id }) => ({ type: "flow-action", id })) : undefined;
  const relationships = { "flow-actions": relation("flow", flow.id, "flow-actions", actions), tags: relation("flow", flow.id, "tags") };
  return resource("flow", flow.id, attributes, relationships, fields);
}

/** The e-mail's settings as a `send-email` action and a flow message define them. */
function emailDefinition(message: EmailMessage): JsonObject {
  return {
    id: message.id,
    name: message.name,
    subject_line: message.subject,
    preview_text: message.previewText,
    ...SENDER,
    smart_sending_enabled: true,
    transactional: false,
    add_tracking_params: false,
  };
}

/** One of a flow's actions, in the order they run. */
export interface FlowActionRef {
  id: string;
  step: FlowStep;
  /** `time-delay` or `send-email`. */
  kind: "time-delay" | "send-email";
  /** The action that runs next (none after the last e-mail). */
  next: string | null;
}

export function flowActions(flow: DemoFlow): FlowActionRef[] {
  const actions = flow.steps.flatMap((step): Omit<FlowActionRef, "next">[] => [
    { id: step.delayActionId, step, kind: "time-delay" },
    { id: step.sendActionId, step, kind: "send-email" },
  ]);
  return actions.map((a, i) => ({ ...a, next: actions[i + 1]?.id ?? null }));
}

export function renderFlowAction(flow: DemoFlow, action: FlowActionRef, fields?: string[]): JsonObject {
  const { step } = action;
  const data: JsonObject =
    action.kind === "time-delay"
      ? { unit: step.delay.unit, value: step.delay.value }
      : { message: emailDefinition(step.message), status: "live" };
  const attributes: JsonObject = {
    created: flow.created,
    updated: flow.updated,
    definition: { id: action.id, type: action.kind, data, links: { next: action.next } },
  };
  const relationships = {
    flow: relation("flow-action", action.id, "flow", { type: "flow", id: flow.id }),
    "flow-messages": relation("flow-action", action.id, "flow-messages"),
  };
  return resource("flow-action", action.id, attributes, relationships, fields);
}

export function renderFlowMessage(flow: DemoFlow, step: FlowStep, fields?: string[]): JsonObject {
  const attributes: JsonObject = {
    channel: "email",
    created: step.message.created,
    updated: flow.updated,
    definition: emailDefinition(step.message),
  };
  const relationships = {
    "flow-action": relation("flow-message", step.message.id, "flow-action", { type: "flow-action", id: step.sendActionId }),
    template: relation("flow-message", step.message.id, "template"),
  };
  return resource("flow-message", step.message.id, attributes, relationships, fields);
}
