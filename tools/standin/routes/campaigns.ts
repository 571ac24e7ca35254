/**
 * Campaigns: `get_campaigns` (which, as in the API, needs a channel filter:
 * `equals(messages.channel,'email')`, or `'sms'` for the demo's text campaigns) and `get_campaign`,
 * each with its message on `include=campaign-messages`. Read only: the demo's campaigns were sent.
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { JsonObject } from "../account";
import { ANY_EQ, CMP, constantField, datetimeField, EQ, parseFilter, stringField } from "../filter";
import type { FieldRule } from "../filter";
import { filteredPage, recordById, sortKeys } from "../http/collections";
import { fields, FILTER, include, page, sort } from "../http/query";
import type { QueryRules } from "../http/query";
import { invalid } from "../http/reply";
import type { Reply } from "../http/reply";
import { listParam } from "../http/request";
import type { Request } from "../http/request";
import type { Route } from "../http/route";
import type { DemoCampaign } from "../marketing";
import { renderCampaign, renderCampaignMessage } from "../message-resources";

const CAMPAIGN_QUERY: QueryRules = {
  ...fields(
    "campaign",
    [
      "archived", "audiences", "created_at", "id", "name", "scheduled_at", "send_options", "send_strategy", "send_time", "status",
      "tracking_options", "updated_at",
    ],
    ["audiences.", "send_options.", "send_strategy.", "tracking_options."],
  ),
  ...fields("campaign-message", ["created_at", "definition", "id", "send_times", "updated_at"], ["definition.", "send_times."]),
  ...fields("tag", ["id", "name"]),
  ...include(["campaign-messages", "tags"]),
};

const CAMPAIGN_FILTERS: Record<string, FieldRule<DemoCampaign>> = {
  "messages.channel": stringField((c) => c.message.channel, EQ),
  status: constantField("Sent", ANY_EQ),
  archived: constantField(false, EQ),
  id: stringField((c) => c.id, ["any"]),
  name: stringField((c) => c.name, ["contains"]),
  created_at: datetimeField((c) => c.created, CMP),
  scheduled_at: datetimeField((c) => c.scheduled, CMP),
  updated_at: datetimeField((c) => c.sendTime, CMP),
};

const CAMPAIGN_SORTS = sortKeys<DemoCampaign>({
  created_at: "created",
  id: "id",
  name: "name",
  scheduled_at: "scheduled",
  updated_at: "sendTime",
});

const CAMPAIGNS_QUERY: QueryRules = { ...CAMPAIGN_QUERY, ...FILTER, ...page(100), ...sort(Object.keys(CAMPAIGN_SORTS)) };

const CHANNEL_REQUIRED =
  "A channel filter is required to list campaigns. Please provide either: " +
  "?filter=equals(messages.channel,'email') to list email campaigns, or ?filter=equals(messages.channel,'sms') to list SMS campaigns, " +
  "or ?filter=equals(messages.channel,'mobile_push') to list mobile push campaigns.";

/** The campaigns' answer: each campaign, with its message related and included when asked. */
function campaignsReply(request: Request, campaigns: DemoCampaign[], links: JsonObject, one: boolean): Reply {
  const includes = listParam(request, "include") ?? [];
  const withMessages = includes.includes("campaign-messages");
  const data = campaigns.map((c) => {
    const rendered = renderCampaign(c, listParam(request, "fields[campaign]"), withMessages);
    if (includes.includes("tags")) (rendered.relationships as { tags: { data?: unknown } }).tags.data = [];
    return rendered;
  });
  const included = withMessages ? campaigns.map((c) => renderCampaignMessage(c, listParam(request, "fields[campaign-message]"))) : [];
  const answer = { data: one ? data[0] : data, links, ...(includes.length > 0 ? { included } : {}) };
  return { status: 200, body: answer };
}

export const CAMPAIGN_ROUTES: Route[] = [
  {
    operation: "get_campaigns",
    method: "GET",
    path: "/api/campaigns",
    query: CAMPAIGNS_QUERY,
    handle({ request, state }) {
      const text = request.query.get("filter");
      const channel = text !== undefined && parseFilter(text).some((c) => c.field === "messages.channel");
      if (!channel) return invalid(CHANNEL_REQUIRED, { parameter: "filter" });
      const { page: slice, links } = filteredPage(request, state.account.campaigns, CAMPAIGN_FILTERS, CAMPAIGN_SORTS, 100);
      return campaignsReply(request, slice, links, false);
    },
  },
  {
    operation: "get_campaign",
    method: "GET",
    path: "/api/campaigns/{id}",
    query: CAMPAIGN_QUERY,
    handle: ({ request, params, state }) => {
      const links = { self: `${API_ORIGIN}/api/campaigns/${params.id}/` };
      return campaignsReply(request, [recordById(state.account.campaigns, params.id, "A campaign")], links, true);
    },
  },
];
