import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  discordProblem,
  googleChatProblem,
  mattermostProblem,
  slackProblem,
  teamsProblem,
} from "../../../test/fakes/chat-provider-rules.ts";
import { IMPACTS, PHASES } from "../../plan/schema.ts";
import { newWebhookSecret } from "../standard-webhooks.ts";
import { buildFacts } from "./chat.fixtures.ts";
import { discordAdapter } from "./discord.ts";
import { googlechatAdapter } from "./googlechat.ts";
import { mattermostAdapter } from "./mattermost.ts";
import { slackAdapter } from "./slack.ts";
import { teamsAdapter } from "./teams.ts";
import type { ChannelAdapter, MessageFacts, Rendering } from "./types.ts";
import { webhookAdapter } from "./webhook.ts";

/**
 * For any message, every renderer's output fits its provider: the measure it
 * reports is the real one and within the limit, `shortened` says exactly when
 * the full text did not fit, the payload passes the same checks the fake
 * providers make, and a cut message still ends with the incident's link.
 */

/** Any Unicode (lone surrogates included), plus the characters escaping and mentions care about. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.string({
      unit: fc.constantFrom(
        "&",
        "<",
        ">",
        "|",
        "*",
        "@channel",
        "<users/all>",
        "\n",
        " ",
        "é",
        "👩‍👩‍👧",
        "漢",
        "\u0000",
      ),
      maxLength,
    }),
  );

/** Most bodies are short; some are long enough that every provider must cut them. */
const body = fc.oneof(
  { arbitrary: text(400), weight: 3 },
  { arbitrary: text(2_000).map((s) => s.repeat(Math.ceil(30_000 / Math.max(1, s.length)))), weight: 1 },
);

const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .stringMatching(/^[A-Za-z0-9\-._~/%]{1,1400}$/)
    .map((path) => `https://status.example.com/incidents/${path}`),
);

const facts: fc.Arbitrary<MessageFacts> = fc.record({
  phase: fc.constantFrom(...PHASES),
  subject: text(2_000),
  body,
  organizationName: text(100),
  updateId: fc.oneof(fc.uuid({ version: 7 }), fc.string({ maxLength: 40 })),
  incident: fc.record({
    id: fc.uuid(),
    reference: fc.nat({ max: 99_999 }).map((n) => `INC-${n}`),
    title: text(400),
    url,
    status: fc.constantFrom(...PHASES),
    severityName: text(200),
    components: fc.array(fc.record({ name: text(80), impact: fc.constantFrom(...IMPACTS) }), {
      maxLength: 150,
    }),
    drill: fc.boolean(),
  }),
});

const bytes = (payload: unknown) => Buffer.byteLength(JSON.stringify(payload));

interface Case {
  name: string;
  render(facts: MessageFacts): Rendering;
  /** The provider's own measure of the payload, recomputed here. */
  measure(r: Rendering): number;
  /** What the fake provider would refuse, or null. */
  problem(payload: unknown): unknown;
  /** Where a cut message's link ends up. */
  cutText(r: Rendering): string;
}

function rendered<S>(adapter: ChannelAdapter<S>, settings: Record<string, unknown>) {
  const parsed = adapter.settings.parse(settings);
  return (f: MessageFacts) => adapter.render(f, parsed);
}

type Blocks = { blocks: Array<{ type: string; text?: { text: string } }> };

const CASES: Case[] = [
  {
    name: "slack",
    render: rendered(slackAdapter, { webhook_url: "https://hooks.slack.com/services/T/B/X" }),
    measure: (r) => r.text.length,
    problem: slackProblem,
    cutText: (r) => (r.payload as Blocks).blocks.filter((b) => b.type === "section").at(-1)?.text?.text ?? "",
  },
  {
    name: "teams",
    render: rendered(teamsAdapter, { webhook_url: "https://example.webhook.office.com/workflows/1" }),
    measure: (r) => bytes(r.payload),
    problem: (payload) => teamsProblem(payload, bytes(payload)),
    cutText: (r) => r.text,
  },
  {
    name: "discord",
    render: rendered(discordAdapter, {
      webhook_url: "https://discord.com/api/webhooks/1/a",
      username: "Quillmark Status",
      avatar_url: "https://example.com/a.png",
    }),
    measure: (r) => ((r.payload as { content?: string }).content ?? "").length,
    problem: discordProblem,
    cutText: (r) => ((r.payload as { content?: string }).content ?? "").replace(/>$/, ""),
  },
  {
    name: "mattermost",
    render: rendered(mattermostAdapter, {
      webhook_url: "https://chat.example.com/hooks/x",
      username: "runsheet",
    }),
    measure: (r) => (r.payload as { text: string }).text.length,
    problem: mattermostProblem,
    cutText: (r) => r.text,
  },
  {
    name: "googlechat",
    render: rendered(googlechatAdapter, {
      webhook_url: "https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t",
      thread_per_incident: true,
    }),
    measure: (r) => (r.payload as { text: string }).text.length,
    problem: (payload) => googleChatProblem(payload, bytes(payload)),
    cutText: (r) => r.text,
  },
  {
    name: "webhook",
    render: rendered(webhookAdapter, {
      url: "https://partners.example.com/hook",
      signing_secret: newWebhookSecret(),
    }),
    measure: (r) => bytes(r.payload),
    problem: (payload) => (bytes(payload) > 20_000 ? "over 20 KB" : null),
    cutText: (r) => (r.payload as { data: { update: { body: string } } }).data.update.body,
  },
];

describe.each(CASES)("$name renderer", (c) => {
  it("fits its provider for any message, and says when it had to cut", () => {
    fc.assert(
      fc.property(facts, (f) => {
        const r = c.render(f);
        expect(r.length).toBe(c.measure(r));
        expect(r.length).toBeLessThanOrEqual(r.limit.max);
        expect(r.shortened).toBe(r.fullLength > r.limit.max);
        expect(c.problem(r.payload)).toBeNull();
        // Cut where the author's text was; Slack escapes the link like any other text.
        const link = c.name === "slack" ? f.incident.url.replace(/&/g, "&amp;") : f.incident.url;
        // The webhook may fit by bounding its subject and components alone, leaving the body whole.
        const cut = c.cutText(r);
        if (r.shortened && (c.name !== "webhook" || cut !== f.body)) expect(cut.endsWith(link)).toBe(true);
        if (!r.shortened) expect(r.fullLength).toBe(r.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe("shortening a body whose first characters fit once trimmed", () => {
  it("still cuts it and ends with the link (a case the property found)", () => {
    const facts = buildFacts({ body: "&&\n".repeat(668) });
    const r = discordAdapter.render(facts, { webhook_url: "https://discord.example/api/webhooks/1/x" });
    expect(r.shortened).toBe(true);
    expect(r.length).toBeLessThanOrEqual(r.limit.max);
    expect(r.text.endsWith(`<${facts.incident.url}>`)).toBe(true);
  });
});
