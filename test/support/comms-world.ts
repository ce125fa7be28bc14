import { alertHandlers } from "../../src/alerts/jobs.ts";
import { closeEmailTransports } from "../../src/comms/adapters/email.ts";
import { deliveryHandler } from "../../src/comms/deliver.ts";
import { reminderHandler } from "../../src/comms/reminders.ts";
import { createCommsRuntime } from "../../src/comms/runtime.ts";
import { newWebhookSecret } from "../../src/comms/standard-webhooks.ts";
import { confirmationHandler } from "../../src/comms/subscribers.ts";
import { Worker } from "../../src/jobs/worker.ts";
import { pagingHandlers } from "../../src/oncall/paging/jobs.ts";
import type { Plan } from "../../src/plan/schema.ts";
import { actionReminderHandler } from "../../src/review/actions/index.ts";
import { postmortemNoticeHandler } from "../../src/review/postmortems/index.ts";
import { reviewHandlers } from "../../src/review/reviews/index.ts";
import { EventHub } from "../../src/shared/events.ts";
import { maintenanceNoticeHandler } from "../../src/statuspage/maintenance-notices.ts";
import { maintenanceStepHandler } from "../../src/statuspage/maintenances.ts";
import type { DialectName } from "../../src/store/column-types.ts";
import { type FakeChat, startFakeChat } from "../fakes/chat-providers.ts";
import { type FakeJira, type FakeZendesk, startFakeJira, startFakeZendesk } from "../fakes/service-desks.ts";
import { type SmtpSink, startSmtpSink } from "../fakes/smtp-sink.ts";
import {
  type FakeBluesky,
  type FakeMastodon,
  type FakeX,
  startFakeBluesky,
  startFakeMastodon,
  startFakeX,
} from "../fakes/social-providers.ts";
import { buildTestApp, examplePlan, type TestApp } from "./app.ts";

/**
 * The example plan with every channel pointed at a local fake provider or the
 * local SMTP server, a real app on a fresh store, and a worker the test drives.
 */
export interface CommsWorld
  extends TestApp,
    Pick<Fakes, "smtp" | "chat" | "mastodon" | "bluesky" | "x" | "jira" | "zendesk" | "webhookSecret"> {
  worker: Worker;
  events: EventHub;
  stop(): Promise<void>;
}

export interface Fakes {
  smtp: SmtpSink;
  chat: FakeChat;
  mastodon: FakeMastodon;
  bluesky: FakeBluesky;
  x: FakeX;
  jira: FakeJira;
  zendesk: FakeZendesk;
  webhookSecret: string;
  /** The environment the example plan's `{ env: NAME }` settings read, pointing at the fakes. */
  env: Record<string, string>;
  /** The example plan with every channel pointed at a fake. */
  plan: Plan;
  close(): Promise<void>;
}

/** A local fake of every provider the example plan's channels use, and a real SMTP server. */
export async function startFakes(now: () => Date = () => new Date()): Promise<Fakes> {
  const [smtp, mastodon, bluesky, x, jira, zendesk] = await Promise.all([
    startSmtpSink(),
    startFakeMastodon(),
    startFakeBluesky(),
    startFakeX(),
    startFakeJira(),
    startFakeZendesk(),
  ]);
  const webhookSecret = newWebhookSecret();
  const chat = await startFakeChat({ webhookSecrets: [webhookSecret], now });
  const env: Record<string, string> = {
    SMTP_PASSWORD: smtp.password,
    SLACK_WEBHOOK_URL: `${chat.url}/slack/services/T000/B000/XXXX`,
    PARTNER_TEAMS_WEBHOOK_URL: `${chat.url}/teams/workflows/partner`,
    DISCORD_WEBHOOK_URL: `${chat.url}/discord/api/webhooks/123/token`,
    MATTERMOST_WEBHOOK_URL: `${chat.url}/mattermost/hooks/security`,
    GOOGLECHAT_WEBHOOK_URL: `${chat.url}/googlechat/v1/spaces/AAA/messages?key=k&token=t`,
    PARTNER_WEBHOOK_SECRET: webhookSecret,
    MASTODON_ACCESS_TOKEN: mastodon.accessToken,
    BLUESKY_APP_PASSWORD: bluesky.appPassword,
    X_API_KEY: x.credentials.consumerKey,
    X_API_KEY_SECRET: x.credentials.consumerSecret,
    X_ACCESS_TOKEN: x.credentials.token,
    X_ACCESS_TOKEN_SECRET: x.credentials.tokenSecret,
    JSM_API_TOKEN: jira.apiToken,
    ZENDESK_API_TOKEN: zendesk.apiToken,
  };
  const all = { smtp, chat, mastodon, bluesky, x, jira, zendesk };
  return {
    ...all,
    webhookSecret,
    env,
    plan: pointAtFakes(examplePlan(), all),
    async close() {
      closeEmailTransports();
      await Promise.all(Object.values(all).map((f) => f.close()));
    },
  };
}

export async function startCommsWorld(dialect: DialectName): Promise<CommsWorld> {
  // The webhook receiver checks timestamps against the same clock the test moves.
  let now = () => new Date();
  const fakes = await startFakes(() => now());
  const { smtp, chat, mastodon, bluesky, x, jira, zendesk, webhookSecret, env, plan } = fakes;
  const comms = createCommsRuntime({ env, allowlist: ["127.0.0.1"] });
  const events = new EventHub();
  const t = await buildTestApp(dialect, { plan, comms, events });
  now = () => t.clock.now();
  const deps = {
    store: t.store,
    plans: t.plans,
    clock: t.clock,
    comms,
    events,
    publicUrl: "http://runsheet.test",
  };
  const worker = new Worker({
    store: t.store,
    clock: t.clock,
    handlers: [
      deliveryHandler(deps),
      reminderHandler(deps),
      confirmationHandler(deps),
      maintenanceStepHandler(deps),
      ...alertHandlers(deps),
      ...pagingHandlers(deps),
      actionReminderHandler(deps),
      maintenanceNoticeHandler(deps, t.app.statusPage.pageUrl),
      postmortemNoticeHandler(deps, t.app.statusPage.pageUrl),
      ...reviewHandlers(deps),
    ],
  });
  return {
    ...t,
    smtp,
    chat,
    mastodon,
    bluesky,
    x,
    jira,
    zendesk,
    worker,
    events,
    webhookSecret,
    async stop() {
      await worker.stop();
      await t.close();
      await fakes.close();
    },
  };
}

function pointAtFakes(
  plan: Plan,
  f: {
    smtp: SmtpSink;
    chat: FakeChat;
    mastodon: FakeMastodon;
    bluesky: FakeBluesky;
    x: FakeX;
    jira: FakeJira;
    zendesk: FakeZendesk;
  },
): Plan {
  const smtp = {
    smtp_host: f.smtp.host,
    smtp_port: f.smtp.port,
    smtp_username: f.smtp.user,
    smtp_password: { env: "SMTP_PASSWORD" },
  };
  const overrides: Record<string, Record<string, unknown>> = {
    "subscriber-email": { from: "Quillmark Status <status@example.com>", ...smtp },
    "stakeholder-email": {
      from: "Quillmark Incidents <incidents@example.com>",
      to: ["stakeholders@example.com"],
      ...smtp,
    },
    "partner-webhook": {
      url: `${f.chat.url}/webhook/receive`,
      signing_secret: { env: "PARTNER_WEBHOOK_SECRET" },
    },
    mastodon: {
      instance_url: f.mastodon.url,
      access_token: { env: "MASTODON_ACCESS_TOKEN" },
      visibility: "public",
    },
    bluesky: {
      service_url: f.bluesky.url,
      identifier: f.bluesky.handle,
      app_password: { env: "BLUESKY_APP_PASSWORD" },
    },
    x: {
      base_url: f.x.url,
      api_key: { env: "X_API_KEY" },
      api_key_secret: { env: "X_API_KEY_SECRET" },
      access_token: { env: "X_ACCESS_TOKEN" },
      access_token_secret: { env: "X_ACCESS_TOKEN_SECRET" },
    },
    "jira-service-desk": {
      base_url: f.jira.url,
      service_desk_id: f.jira.serviceDeskId,
      request_type_id: f.jira.requestTypeId,
      email: f.jira.email,
      api_token: { env: "JSM_API_TOKEN" },
    },
    zendesk: { base_url: f.zendesk.url, email: f.zendesk.email, api_token: { env: "ZENDESK_API_TOKEN" } },
  };
  return {
    ...plan,
    channels: plan.channels.map((c) =>
      overrides[c.id] ? { ...c, settings: overrides[c.id] as typeof c.settings } : c,
    ),
  };
}
