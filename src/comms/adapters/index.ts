import type { ChannelType } from "../../plan/schema.ts";
import { blueskyAdapter } from "./bluesky.ts";
import { discordAdapter } from "./discord.ts";
import { emailAdapter } from "./email.ts";
import { googlechatAdapter } from "./googlechat.ts";
import { jiraServiceManagementAdapter } from "./jira-service-management.ts";
import { mastodonAdapter } from "./mastodon.ts";
import { mattermostAdapter } from "./mattermost.ts";
import { slackAdapter } from "./slack.ts";
import { statuspageAdapter } from "./statuspage.ts";
import { teamsAdapter } from "./teams.ts";
import type { ChannelAdapter } from "./types.ts";
import { webhookAdapter } from "./webhook.ts";
import { xAdapter } from "./x.ts";
import { zendeskAdapter } from "./zendesk.ts";

type AnyAdapter = ChannelAdapter<Record<string, unknown>>;

/** Every channel type's adapter. */
const ADAPTERS: Record<ChannelType, AnyAdapter> = {
  statuspage: statuspageAdapter as unknown as AnyAdapter,
  email: emailAdapter as unknown as AnyAdapter,
  slack: slackAdapter as unknown as AnyAdapter,
  teams: teamsAdapter as unknown as AnyAdapter,
  discord: discordAdapter as unknown as AnyAdapter,
  mattermost: mattermostAdapter as unknown as AnyAdapter,
  googlechat: googlechatAdapter as unknown as AnyAdapter,
  webhook: webhookAdapter as unknown as AnyAdapter,
  mastodon: mastodonAdapter as unknown as AnyAdapter,
  bluesky: blueskyAdapter as unknown as AnyAdapter,
  x: xAdapter as unknown as AnyAdapter,
  "jira-service-management": jiraServiceManagementAdapter as unknown as AnyAdapter,
  zendesk: zendeskAdapter as unknown as AnyAdapter,
};

export function adapterFor(type: ChannelType): AnyAdapter {
  return ADAPTERS[type];
}

export type {
  AdapterContext,
  ChannelAdapter,
  DeliveryAttempt,
  MessageFacts,
  Rendering,
  Target,
} from "./types.ts";
