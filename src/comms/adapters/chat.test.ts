import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type FakeChat, startFakeChat } from "../../../test/fakes/chat-providers.ts";
import { GiveUp, RetryLater } from "../../jobs/retry.ts";
import { PLACEHOLDER } from "../settings.ts";
import { newWebhookSecret } from "../standard-webhooks.ts";
import { buildAttempt, buildFacts, testContext } from "./chat.fixtures.ts";
import { discordAdapter } from "./discord.ts";
import { googlechatAdapter } from "./googlechat.ts";
import { mattermostAdapter } from "./mattermost.ts";
import { escapeMrkdwn, slackAdapter } from "./slack.ts";
import { teamsAdapter } from "./teams.ts";
import type { ChannelAdapter, DeliveryAttempt, MessageFacts } from "./types.ts";
import { webhookAdapter } from "./webhook.ts";

const SECRET = newWebhookSecret();

let fake: FakeChat;
beforeEach(async () => {
  fake = await startFakeChat({ webhookSecrets: [SECRET] });
});
afterEach(async () => {
  await fake.close();
});

/** One adapter pointed at its place in the fake, with settings parsed as the plan's would be. */
function channel<S>(
  adapter: ChannelAdapter<S>,
  path: string,
  settings: (url: string) => Record<string, unknown>,
) {
  const parse = (extra: Record<string, unknown> = {}) =>
    adapter.settings.parse({ ...settings(`${fake.url}${path}`), ...extra });
  return {
    type: adapter.type,
    path,
    render: (facts: MessageFacts = buildFacts(), extra?: Record<string, unknown>) =>
      adapter.render(facts, parse(extra)),
    send(
      facts: MessageFacts = buildFacts(),
      attempt: Partial<DeliveryAttempt> = {},
      extra?: Record<string, unknown>,
    ) {
      const parsed = parse(extra);
      return adapter.deliver(testContext(), buildAttempt(adapter.render(facts, parsed), attempt), parsed);
    },
  };
}

const slack = channel(slackAdapter, "/slack/services/T0001/B0001/XXXXXXXX", (url) => ({ webhook_url: url }));
const teams = channel(teamsAdapter, "/teams/workflows/8f2c/triggers/manual/paths/invoke", (url) => ({
  webhook_url: url,
}));
const discord = channel(discordAdapter, "/discord/api/webhooks/1234567890/tok-en", (url) => ({
  webhook_url: url,
  username: "Quillmark Status",
}));
const mattermost = channel(mattermostAdapter, "/mattermost/hooks/xyz123", (url) => ({ webhook_url: url }));
const googlechat = channel(googlechatAdapter, "/googlechat/v1/spaces/AAA/messages", (url) => ({
  webhook_url: `${url}?key=k-123&token=t-456`,
  thread_per_incident: true,
}));
const webhook = channel(webhookAdapter, "/webhook/receive", (url) => ({ url, signing_secret: SECRET }));

const ALL = [slack, teams, discord, mattermost, googlechat, webhook];

describe("the example plan", () => {
  it("has settings every adapter accepts, secrets standing in as they do when the plan is checked", () => {
    const plan = parseYaml(
      readFileSync(new URL("../../../examples/runsheet.yaml", import.meta.url), "utf8"),
    ) as {
      channels: Array<{ type: string; settings?: Record<string, unknown> }>;
    };
    const adapters = [
      slackAdapter,
      teamsAdapter,
      discordAdapter,
      mattermostAdapter,
      googlechatAdapter,
      webhookAdapter,
    ];
    const resolved = (settings: Record<string, unknown> = {}) =>
      Object.fromEntries(
        Object.entries(settings).map(([key, value]) => [
          key,
          typeof value === "object" && value !== null ? PLACEHOLDER : value,
        ]),
      );
    for (const adapter of adapters) {
      const channels = plan.channels.filter((c) => c.type === adapter.type);
      expect(channels.length, adapter.type).toBeGreaterThan(0);
      for (const c of channels)
        expect(adapter.settings.safeParse(resolved(c.settings)).error, adapter.type).toBeUndefined();
    }
  });
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the delivery to fail"),
    (error: unknown) => error,
  );
}

describe.each(ALL)("$type: what the provider's answers mean", (c) => {
  it("is delivered, with the rendered payload byte for byte, a User-Agent and JSON", async () => {
    const facts = buildFacts();
    await c.send(facts);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe(c.path);
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(request!.headers["user-agent"]).toBe("Runsheet");
    expect(request!.body).toBe(JSON.stringify(c.render(facts).payload));
  });

  it("429 waits as long as Retry-After says", async () => {
    fake.behave(c.path, [{ status: 429, headers: { "retry-after": "7" } }]);
    const error = await failure(c.send());
    expect(error).toBeInstanceOf(RetryLater);
    expect((error as RetryLater).afterMs).toBe(7_000);
  });

  it("410 gives up: the endpoint is gone", async () => {
    fake.behave(c.path, [{ status: 410 }]);
    const error = await failure(c.send());
    expect(error).toBeInstanceOf(GiveUp);
    expect((error as Error).message).toMatch(/410/);
  });

  it("500 is an ordinary failure, retried on schedule", async () => {
    fake.behave(c.path, [{ status: 500 }]);
    const error = await failure(c.send());
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RetryLater);
    expect(error).not.toBeInstanceOf(GiveUp);
  });

  it("does not follow a redirect: a 3xx is a failure", async () => {
    fake.behave(c.path, [{ status: 307, headers: { location: `${fake.url}/webhook/elsewhere` } }]);
    const error = await failure(c.send());
    expect((error as Error).message).toMatch(/answered 307/);
    expect(error).not.toBeInstanceOf(GiveUp);
    expect(fake.requests.map((r) => r.path)).toEqual([c.path]);
  });
});

describe("slack", () => {
  it("renders a header with reference, phase and title, the body as mrkdwn, and a context line", () => {
    const r = slack.render(buildFacts({ body: "Card payments fail <sometimes> & retries help" }));
    const { text, blocks } = r.payload as { text: string; blocks: Array<Record<string, never>> };
    expect(text).toBe("INC-42 · Investigating · Checkout errors");
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "INC-42 · Investigating · Checkout errors", emoji: true },
    });
    expect(blocks[1]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "Card payments fail &lt;sometimes&gt; &amp; retries help" },
    });
    expect(blocks[2]).toEqual({
      type: "context",
      elements: [
        { type: "mrkdwn", text: "*Severity:* SEV1 – Critical" },
        { type: "mrkdwn", text: "*Components:* Payments API (major outage), Web app (degraded performance)" },
        { type: "mrkdwn", text: "<https://status.example.com/incidents/INC-42|Open INC-42>" },
      ],
    });
    expect(r.shortened).toBe(false);
    expect(r.length).toBe(r.text.length);
  });

  it("keeps user text from becoming mentions or links", () => {
    expect(escapeMrkdwn("<!channel> <https://evil.example|click>")).toBe(
      "&lt;!channel&gt; &lt;https://evil.example|click&gt;",
    );
  });

  it("marks drills in the header and the notification text", () => {
    const { text, blocks } = slack.render(buildFacts({ incident: { drill: true } })).payload as {
      text: string;
      blocks: Array<{ text?: { text: string } }>;
    };
    expect(text.startsWith("[DRILL] ")).toBe(true);
    expect(blocks[0]!.text!.text.startsWith("[DRILL] ")).toBe(true);
  });

  it("cuts a long title in the 150-character header and gives it whole beneath", () => {
    const title = "Checkout errors for card payments in every region ".repeat(4).trim();
    const { blocks } = slack.render(buildFacts({ incident: { title } })).payload as {
      blocks: Array<{ text?: { text: string } }>;
    };
    expect(blocks[0]!.text!.text).toHaveLength(150);
    expect(blocks[0]!.text!.text.endsWith("…")).toBe(true);
    expect(blocks[1]!.text!.text).toBe(`*${title}*`);
  });

  it("splits a long body into sections of at most 3,000 and shortens past 12,000, ending with the link", () => {
    const facts = buildFacts({ body: "Payment retries are failing again. ".repeat(600) });
    const r = slack.render(facts);
    const sections = (
      r.payload as { blocks: Array<{ type: string; text?: { text: string } }> }
    ).blocks.filter((b) => b.type === "section");
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) expect(s.text!.text.length).toBeLessThanOrEqual(3_000);
    expect(sections.at(-1)!.text!.text.endsWith(`… ${facts.incident.url}`)).toBe(true);
    expect(r).toMatchObject({ shortened: true, limit: { max: 12_000, unit: "characters" } });
    expect(r.length).toBeLessThanOrEqual(12_000);
    expect(r.fullLength).toBeGreaterThan(12_000);
  });

  it("is refused by Slack when a block breaks its limits (the fake checks as Slack does)", async () => {
    const r = slack.render();
    const payload = structuredClone(r.payload) as {
      blocks: Array<{ type: string; text?: { text: string } }>;
    };
    payload.blocks[1]!.text!.text = "x".repeat(3_001);
    const settings = slackAdapter.settings.parse({ webhook_url: `${fake.url}${slack.path}` });
    const error = await failure(
      slackAdapter.deliver(testContext(), buildAttempt({ ...r, payload }), settings),
    );
    expect(error).toBeInstanceOf(GiveUp);
    expect((error as Error).message).toMatch(/400: invalid_blocks/);
  });

  it("accepts the example plan's settings; the channel name is for people, not sent", () => {
    const settings = slackAdapter.settings.parse({
      webhook_url: "https://hooks.slack.com/services/T/B/X",
      channel_name: "#incidents",
    });
    expect(JSON.stringify(slackAdapter.render(buildFacts(), settings).payload)).not.toContain("#incidents");
    expect(() => slackAdapter.settings.parse({ webhook_url: "hooks.slack.com/services/T/B/X" })).toThrow();
    expect(() =>
      slackAdapter.settings.parse({ webhook_url: "https://hooks.slack.com/x", channel: "#x" }),
    ).toThrow();
  });
});

describe("teams", () => {
  it("renders an Adaptive Card in the Workflows message envelope", () => {
    const payload = teams.render().payload as {
      type: string;
      attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
    };
    expect(payload.type).toBe("message");
    expect(payload.attachments).toHaveLength(1);
    const [attachment] = payload.attachments;
    expect(attachment!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment!.content).toMatchObject({
      type: "AdaptiveCard",
      version: "1.4",
      body: [
        { type: "TextBlock", text: "INC-42 · Investigating · Checkout errors", weight: "Bolder", wrap: true },
        {
          type: "TextBlock",
          text: "Severity: SEV1 – Critical · Components: Payments API (major outage), Web app (degraded performance)",
        },
        { type: "TextBlock", text: buildFacts().body, wrap: true },
      ],
      actions: [
        { type: "Action.OpenUrl", title: "Open INC-42", url: "https://status.example.com/incidents/INC-42" },
      ],
    });
  });

  it("keeps a long update under 28 KB, as measured on the request, and Teams takes it", async () => {
    const facts = buildFacts({ body: "Zahlungen schlagen fehl — 決済が失敗しています. ".repeat(1_500) });
    const r = teams.render(facts);
    expect(r.limit).toEqual({ max: 28_000, unit: "bytes" });
    expect(r.length).toBe(Buffer.byteLength(JSON.stringify(r.payload)));
    expect(r.length).toBeLessThanOrEqual(28_000);
    expect(r.shortened).toBe(true);
    expect(r.text.endsWith(`… ${facts.incident.url}`)).toBe(true);
    await expect(teams.send(facts)).resolves.toEqual({});
  });
});

describe("discord", () => {
  it("renders the update as content and the incident as an embed, and never pings anyone", () => {
    const payload = discord.render(buildFacts({ body: "@everyone payments are down <@&123>" }))
      .payload as Record<string, unknown>;
    expect(payload).toMatchObject({
      content: "@everyone payments are down <@&123>",
      username: "Quillmark Status",
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: "INC-42 · Investigating · Checkout errors",
          url: "https://status.example.com/incidents/INC-42",
          description: "Payments API (major outage)\nWeb app (degraded performance)",
          color: 0xe01e5a,
          fields: [
            { name: "Severity", value: "SEV1 – Critical", inline: true },
            { name: "Phase", value: "Investigating", inline: true },
          ],
          footer: { text: "Quillmark" },
        },
      ],
    });
  });

  it("colours by phase, and drills grey with the prefix", () => {
    const color = (facts: MessageFacts) =>
      (discord.render(facts).payload as { embeds: Array<{ color: number }> }).embeds[0]!.color;
    expect(color(buildFacts({ phase: "resolved" }))).toBe(0x2eb67d);
    const drill = discord.render(buildFacts({ incident: { drill: true } }));
    expect(drill.text.startsWith("[DRILL] ")).toBe(true);
    expect(color(buildFacts({ incident: { drill: true } }))).toBe(0x99aab5);
  });

  it("shortens content past 2,000 characters, with the link (unfurled once, by the embed) at the end", () => {
    const facts = buildFacts({ body: "🔥 Everything is on fire. ".repeat(200) });
    const r = discord.render(facts);
    const content = (r.payload as { content: string }).content;
    expect(content.length).toBeLessThanOrEqual(2_000);
    expect(content.endsWith(`… <${facts.incident.url}>`)).toBe(true);
    expect(r).toMatchObject({ shortened: true, length: content.length });
  });

  it("asks Discord to wait and keeps the created message's id", async () => {
    const outcome = await discord.send();
    expect(fake.requests[0]!.query).toEqual({ wait: "true" });
    expect(outcome.providerMessageId).toMatch(/^\d{17,20}$/);
  });

  it("meets Discord's own rate limit: the sixth message in two seconds waits", async () => {
    for (let i = 0; i < 5; i += 1) await discord.send();
    const error = await failure(discord.send());
    expect(error).toBeInstanceOf(RetryLater);
    expect((error as RetryLater).afterMs).toBeGreaterThan(0);
    expect((error as RetryLater).afterMs).toBeLessThanOrEqual(2_000);
  });

  it("refuses names Discord refuses", () => {
    expect(() =>
      discordAdapter.settings.parse({
        webhook_url: "https://discord.com/api/webhooks/1/a",
        username: "Discord Bot",
      }),
    ).toThrow(/discord/);
    expect(() =>
      discordAdapter.settings.parse({
        webhook_url: "https://discord.com/api/webhooks/1/a",
        username: "x".repeat(81),
      }),
    ).toThrow();
  });
});

describe("mattermost", () => {
  it("renders Markdown text with the link last, and passes the overrides", () => {
    const payload = mattermost.render(buildFacts(), {
      username: "runsheet",
      channel: "incidents",
      icon_url: "https://example.com/i.png",
    }).payload as Record<string, string>;
    expect(payload).toEqual({
      text: [
        "**INC-42 · Investigating · Checkout errors**",
        "**Severity:** SEV1 – Critical · **Components:** Payments API (major outage), Web app (degraded performance)",
        buildFacts().body,
        "https://status.example.com/incidents/INC-42",
      ].join("\n\n"),
      username: "runsheet",
      channel: "incidents",
      icon_url: "https://example.com/i.png",
    });
  });

  it("does not let user text notify the whole channel, and leaves links alone", () => {
    const facts = buildFacts({ body: "@channel @all @here see https://example.com/@all" });
    const text = mattermost.render(facts).text;
    expect(text.replace("https://example.com/@all", "")).not.toMatch(/@(channel|all|here)\b/);
    expect(text).toContain("@\u2060channel @\u2060all @\u2060here see https://example.com/@all");
  });

  it("is delivered to a hook and Mattermost answers ok", async () => {
    await expect(mattermost.send(buildFacts({ incident: { drill: true } }))).resolves.toEqual({});
    expect((fake.requests[0]!.json as { text: string }).text.startsWith("[DRILL] **INC-42")).toBe(true);
  });
});

describe("googlechat", () => {
  it("renders Chat markup and threads by incident", () => {
    const payload = googlechat.render(buildFacts({ body: "Ask <users/all> to stop retrying" })).payload as {
      text: string;
      thread: { threadKey: string };
    };
    expect(payload.text.startsWith("*INC-42 · Investigating · Checkout errors*\n\n")).toBe(true);
    expect(payload.text).toContain("<\u2060users/all>");
    expect(payload.thread).toEqual({ threadKey: buildFacts().incident.id });
  });

  it("keeps the webhook's key and token, replies in the incident's thread, and returns message and thread", async () => {
    const first = await googlechat.send();
    const second = await googlechat.send(buildFacts({ phase: "identified" }));
    const other = await googlechat.send(buildFacts({ incident: { id: "another-incident" } }));
    expect(fake.requests[0]!.query).toEqual({
      key: "k-123",
      token: "t-456",
      messageReplyOption: "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD",
    });
    expect(first.providerMessageId).toMatch(/^spaces\/AAA\/messages\//);
    expect(first.threadId).toMatch(/^spaces\/AAA\/threads\//);
    expect(second.threadId).toBe(first.threadId);
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
    expect(other.threadId).not.toBe(first.threadId);
  });

  it("without thread_per_incident, starts a new thread each time", async () => {
    const a = await googlechat.send(buildFacts(), {}, { thread_per_incident: false });
    const b = await googlechat.send(buildFacts(), {}, { thread_per_incident: false });
    expect(fake.requests[0]!.query).toEqual({ key: "k-123", token: "t-456" });
    expect(fake.requests[0]!.json).toEqual({ text: expect.any(String) });
    expect(a.threadId).not.toBe(b.threadId);
  });

  it("is refused by Google without the webhook's key", async () => {
    const settings = googlechatAdapter.settings.parse({ webhook_url: `${fake.url}${googlechat.path}` });
    const error = await failure(
      googlechatAdapter.deliver(testContext(), buildAttempt(googlechat.render()), settings),
    );
    expect(error).toBeInstanceOf(GiveUp);
    expect((error as Error).message).toMatch(/403.*PERMISSION_DENIED/);
  });
});
