/**
 * Flows and what they send: `get_flows`, `get_flow`, a flow's actions (`get_actions_for_flow`, a
 * `time-delay` and a `send-email` per step), a send action's message (`get_flow_action_messages`)
 * and one message (`get_flow_message`): what a report grouped by `flow_message_id` is about.
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoAccount, JsonObject } from "../account";
import { CMP, constantField, datetimeField, EQ, stringField, TEXT } from "../filter";
import type { FieldRule } from "../filter";
import { filteredPage, pageReply, recordById, resourceReply, sortKeys } from "../http/collections";
import { fields, FILTER, include, page, sort } from "../http/query";
import type { QueryRules } from "../http/query";
import { notFound, refuse } from "../http/reply";
import { listParam } from "../http/request";
import type { Request } from "../http/request";
import type { Route } from "../http/route";
import type { DemoFlow } from "../marketing";
import { flowActions, renderFlow, renderFlowAction, renderFlowMessage } from "../message-resources";
import type { FlowActionRef } from "../message-resources";
import { FLOW_FIELDS } from "./fields";

const FLOW_ACTION_FIELDS = fields("flow-action", ["created", "definition", "id", "updated"], ["definition."]);
const FLOW_MESSAGE_FIELDS = fields("flow-message", ["channel", "created", "definition", "id", "updated"], ["definition."]);
const FLOW_QUERY: QueryRules = {
  ...fields("flow", [...FLOW_FIELDS, "id"]),
  ...FLOW_ACTION_FIELDS,
  ...fields("tag", ["id", "name"]),
  ...include(["flow-actions", "tags"]),
};
const TEMPLATE_FIELDS = fields("template", ["amp", "created", "editor_type", "html", "id", "name", "text", "updated"]);
const DATES = [...EQ, ...CMP];

const FLOW_FILTERS: Record<string, FieldRule<DemoFlow>> = {
  status: constantField("live", EQ),
  archived: constantField(false, EQ),
  id: stringField((f) => f.id, ["any"]),
  name: stringField((f) => f.name, TEXT),
  created: datetimeField((f) => f.created, DATES),
  updated: datetimeField((f) => f.updated, DATES),
  trigger_type: stringField((f) => f.triggerType, EQ),
};
const FLOW_SORTS = {
  ...sortKeys<DemoFlow>({ created: "created", id: "id", name: "name", trigger_type: "triggerType", updated: "updated" }),
  status: () => "live",
};

type Action = FlowActionRef & { flow: DemoFlow };
const ACTION_FILTERS: Record<string, FieldRule<Action>> = {
  id: stringField((a) => a.id, ["any"]),
  action_type: stringField((a) => a.kind, ["any", "equals"]),
  status: constantField("live", EQ),
  created: datetimeField((a) => a.flow.created, DATES),
  updated: datetimeField((a) => a.flow.updated, DATES),
};
const ACTION_SORTS: Record<string, (a: Action) => string> = {
  action_type: (a) => a.kind, created: (a) => a.flow.created, id: (a) => a.id, status: () => "live", updated: (a) => a.flow.updated,
};

type Message = { flow: DemoFlow; step: DemoFlow["steps"][number] };
const MESSAGE_FILTERS: Record<string, FieldRule<Message>> = {
  id: stringField((m) => m.step.message.id, ["any"]),
  name: stringField((m) => m.step.message.name, TEXT),
  created: datetimeField((m) => m.step.message.created, DATES),
  updated: datetimeField((m) => m.flow.updated, DATES),
};
const MESSAGE_SORTS: Record<string, (m: Message) => string> = {
  created: (m) => m.step.message.created, id: (m) => m.step.message.id, name: (m) => m.step.message.name, updated: (m) => m.flow.updated,
};

function actionsOf(flow: DemoFlow): Action[] {
  return flowActions(flow).map((a) => ({ ...a, flow }));
}

/** The flow with its actions related and, on `include=flow-actions`, included; tags related empty. */
function flowWithIncludes(request: Request, flow: DemoFlow, included: JsonObject[]): JsonObject {
  const includes = listParam(request, "include") ?? [];
  const rendered = renderFlow(flow, listParam(request, "fields[flow]"), includes.includes("flow-actions"));
  if (includes.includes("tags")) (rendered.relationships as { tags: { data?: unknown } }).tags.data = [];
  if (includes.includes("flow-actions")) {
    included.push(...actionsOf(flow).map((a) => renderFlowAction(flow, a, listParam(request, "fields[flow-action]"))));
  }
  return rendered;
}

function findAction(account: DemoAccount, id: string): Action {
  const found = account.flows.flatMap(actionsOf).find((a) => a.id === id);
  return found ?? refuse(notFound(`A flow action with id '${id}' does not exist in this account.`));
}

export const FLOW_ROUTES: Route[] = [
  {
    operation: "get_flows",
    method: "GET",
    path: "/api/flows",
    query: { ...FLOW_QUERY, ...FILTER, ...page(50), ...sort(Object.keys(FLOW_SORTS)) },
    handle({ request, state }) {
      const { page: slice, links } = filteredPage(request, state.account.flows, FLOW_FILTERS, FLOW_SORTS, 50);
      const included: JsonObject[] = [];
      const data = slice.map((flow) => flowWithIncludes(request, flow, included));
      return request.query.has("include") ? { status: 200, body: { data, links, included } } : pageReply(request, data, links);
    },
  },
  {
    operation: "get_flow",
    method: "GET",
    path: "/api/flows/{id}",
    query: FLOW_QUERY,
    handle({ request, params, state }) {
      const included: JsonObject[] = [];
      const data = flowWithIncludes(request, recordById(state.account.flows, params.id, "A flow"), included);
      return resourceReply(request, data, `/api/flows/${params.id}/`, request.query.has("include") ? included : undefined);
    },
  },
  {
    operation: "get_actions_for_flow",
    method: "GET",
    path: "/api/flows/{id}/flow-actions",
    query: { ...FLOW_ACTION_FIELDS, ...FILTER, ...page(50), ...sort(Object.keys(ACTION_SORTS)) },
    handle({ request, params, state }) {
      const flow = recordById(state.account.flows, params.id, "A flow");
      const { page: slice, links } = filteredPage(request, actionsOf(flow), ACTION_FILTERS, ACTION_SORTS, 50);
      return pageReply(request, slice.map((a) => renderFlowAction(flow, a, listParam(request, "fields[flow-action]"))), links);
    },
  },
  {
    operation: "get_flow_action_messages",
    method: "GET",
    path: "/api/flow-actions/{id}/flow-messages",
    query: { ...FLOW_MESSAGE_FIELDS, ...FILTER, ...page(50), ...sort(Object.keys(MESSAGE_SORTS)) },
    handle({ request, params, state }) {
      const action = findAction(state.account, params.id);
      const own: Message[] = action.kind === "send-email" ? [{ flow: action.flow, step: action.step }] : [];
      const { page: slice, links } = filteredPage(request, own, MESSAGE_FILTERS, MESSAGE_SORTS, 50);
      return pageReply(request, slice.map((m) => renderFlowMessage(m.flow, m.step, listParam(request, "fields[flow-message]"))), links);
    },
  },
  {
    operation: "get_flow_message",
    method: "GET",
    path: "/api/flow-messages/{id}",
    query: { ...FLOW_ACTION_FIELDS, ...FLOW_MESSAGE_FIELDS, ...TEMPLATE_FIELDS, ...include(["flow-action", "template"]) },
    handle({ request, params, state }) {
      const flow = state.account.flows.find((f) => f.steps.some((s) => s.message.id === params.id));
      const step = flow?.steps.find((s) => s.message.id === params.id);
      if (!flow || !step) return notFound(`A flow message with id '${params.id}' does not exist in this account.`);
      const includes = listParam(request, "include") ?? [];
      const action = actionsOf(flow).find((a) => a.id === step.sendActionId) as Action;
      const included = includes.includes("flow-action") ? [renderFlowAction(flow, action, listParam(request, "fields[flow-action]"))] : [];
      const data = renderFlowMessage(flow, step, listParam(request, "fields[flow-message]"));
      const links = { self: `${API_ORIGIN}/api/flow-messages/${params.id}/` };
      return { status: 200, body: { data, links, ...(includes.length > 0 ? { included } : {}) } };
    },
  },
];
