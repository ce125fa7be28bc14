import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adapterContext,
  arbitraryFacts,
  buildFacts,
  type FakeBluesky,
  type FakeMastodon,
  type FakeX,
  startFakeBluesky,
  startFakeMastodon,
  startFakeX,
} from "../../../test/fakes/social-providers.ts";
import { GiveUp, RetryLater } from "../../jobs/retry.ts";
import { graphemeCount, mastodonLength, utf8Length, xWeightedLength } from "../measure.ts";
import { blueskyAdapter, blueskyLength, linkFacets } from "./bluesky.ts";
import { fetchMastodonLimits, mastodonAdapter } from "./mastodon.ts";
import type { ChannelAdapter, DeliveryAttempt, DeliveryOutcome, MessageFacts, Rendering } from "./types.ts";
import { xAdapter } from "./x.ts";

const ctx = adapterContext();
const NOW_S = ctx.now().getTime() / 1000;
const URL_ = "https://status.example.com/incidents/inc-42";

function attemptOf(
  rendering: Rendering,
  first?: DeliveryOutcome,
  deliveryId: string = randomUUID(),
): DeliveryAttempt {
  const thread = first
    ? { providerMessageId: first.providerMessageId!, threadId: first.threadId }
    : undefined;
  return { deliveryId, attempt: 1, rendering, target: { key: "channel" }, ...(thread ? { thread } : {}) };
}

/** The error a promise rejects with (so a test can check its class and wait). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the delivery to fail"),
    (error: unknown) => error,
  );
}

const longBody = `${"Checkout is failing for some customers while we investigate. ".repeat(12)}Updates: ${URL_}`;

describe("mastodon", () => {
  let fake: FakeMastodon;
  beforeAll(async () => {
    fake = await startFakeMastodon();
  });
  afterAll(() => fake.close());
  const settingsInput = () => ({ instance_url: fake.url, access_token: fake.accessToken });
  const settings = () => mastodonAdapter.settings.parse(settingsInput());

  it("renders a status within the instance's limit, cut before the incident's link", () => {
    const short = mastodonAdapter.render(buildFacts(), settings());
    expect(short.payload).toEqual({ status: buildFacts().body, visibility: "public" });
    expect(short).toMatchObject({ shortened: false, limit: { max: 500, unit: "characters" } });

    const long = mastodonAdapter.render(
      buildFacts({ body: longBody, incident: { drill: true } }),
      settings(),
    );
    expect(long.shortened).toBe(true);
    expect(long.length).toBeLessThanOrEqual(500);
    expect(long.fullLength).toBeGreaterThan(500);
    expect(long.text.startsWith("[DRILL] Checkout")).toBe(true);
    expect(long.text.endsWith(`… ${URL_}`)).toBe(true);
  });

  it("posts the first update and replies to it with the next, each with its Idempotency-Key", async () => {
    const first = await mastodonAdapter.deliver(
      ctx,
      attemptOf(mastodonAdapter.render(buildFacts(), settings()), undefined, "dlv-1"),
      settings(),
    );
    const reply = mastodonAdapter.render(buildFacts({ body: `Fixed. ${URL_}` }), settings());
    const second = await mastodonAdapter.deliver(ctx, attemptOf(reply, first, "dlv-2"), settings());

    expect(second.threadId).toBe(first.providerMessageId);
    expect(fake.statuses.at(-1)).toMatchObject({
      status: `Fixed. ${URL_}`,
      in_reply_to_id: first.providerMessageId,
    });
    const request = fake.requests.at(-1)!;
    expect(request.headers).toMatchObject({
      authorization: `Bearer ${fake.accessToken}`,
      "idempotency-key": "dlv-2",
      "user-agent": "Runsheet",
      "content-type": "application/json",
    });
    expect(request.json).toEqual({
      status: `Fixed. ${URL_}`,
      visibility: "public",
      in_reply_to_id: first.threadId,
    });
  });

  it("makes one status of the same delivery sent twice", async () => {
    const rendering = mastodonAdapter.render(buildFacts({ body: "Still investigating." }), settings());
    const before = fake.statuses.length;
    const a = await mastodonAdapter.deliver(ctx, attemptOf(rendering, undefined, "dlv-same"), settings());
    const b = await mastodonAdapter.deliver(ctx, attemptOf(rendering, undefined, "dlv-same"), settings());
    expect(b).toEqual(a);
    expect(fake.statuses.length).toBe(before + 1);
  });

  it("waits as long as a 429 asks, by X-RateLimit-Reset or Retry-After", async () => {
    const rendering = mastodonAdapter.render(buildFacts(), settings());
    fake.failNext(1, 429, { "X-RateLimit-Reset": new Date(ctx.now().getTime() + 300_000).toISOString() });
    const byReset = await failure(mastodonAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect(byReset).toBeInstanceOf(RetryLater);
    expect((byReset as RetryLater).afterMs).toBe(300_000);

    fake.failNext(1, 429, { "Retry-After": "42", "X-RateLimit-Reset": "2030-01-01T00:00:00Z" });
    const byRetryAfter = await failure(mastodonAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect((byRetryAfter as RetryLater).afterMs).toBe(42_000);
  });

  it("gives up on a refused token or an over-long status, retries a 500 on schedule", async () => {
    const wrongToken = mastodonAdapter.settings.parse({ base_url: fake.url, access_token: "nope" });
    const rendering = mastodonAdapter.render(buildFacts(), settings());
    expect(await failure(mastodonAdapter.deliver(ctx, attemptOf(rendering), wrongToken))).toBeInstanceOf(
      GiveUp,
    );

    // An instance with a smaller limit than the plan says refuses the status.
    const roomy = mastodonAdapter.settings.parse({ ...settingsInput(), max_characters: 1000 });
    const tooLong = mastodonAdapter.render(buildFacts({ body: longBody }), roomy);
    const refused = await failure(mastodonAdapter.deliver(ctx, attemptOf(tooLong), roomy));
    expect(refused).toBeInstanceOf(GiveUp);
    expect(String(refused)).toContain("character limit of 500");

    fake.failNext(1, 500);
    const server = await failure(mastodonAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect(server).toBeInstanceOf(Error);
    expect(server).not.toBeInstanceOf(GiveUp);
    expect(server).not.toBeInstanceOf(RetryLater);
  });

  it("reads the instance's limits", async () => {
    expect(await fetchMastodonLimits(ctx, `${fake.url}/`)).toEqual({
      maxCharacters: 500,
      charactersReservedPerUrl: 23,
    });
  });

  it("checks its settings as the plan writes them", () => {
    expect(mastodonAdapter.settings.safeParse({ access_token: "t" }).success).toBe(false);
    expect(mastodonAdapter.settings.safeParse({ ...settingsInput(), visibility: "everyone" }).success).toBe(
      false,
    );
    expect(mastodonAdapter.settings.safeParse({ ...settingsInput(), acces_token: "typo" }).success).toBe(
      false,
    );
    expect(
      mastodonAdapter.settings.parse({ ...settingsInput(), max_characters: "1000", visibility: "unlisted" }),
    ).toMatchObject({ maxCharacters: 1000, visibility: "unlisted", instanceUrl: fake.url });
  });
});

describe("bluesky", () => {
  let fake: FakeBluesky;
  beforeAll(async () => {
    fake = await startFakeBluesky();
  });
  afterAll(() => fake.close());
  const settings = () =>
    blueskyAdapter.settings.parse({
      service_url: fake.url,
      identifier: fake.handle,
      app_password: fake.appPassword,
    });

  it("marks links with facets at their UTF-8 byte offsets, after emoji and CJK", () => {
    const text = `🚨 漢字 see ${URL_}. More (https://example.com/a_(b)) later`;
    const facets = linkFacets(text);
    // "🚨" is 4 bytes, "漢字" 6, so the link starts at byte 4+1+6+1+4 = 16.
    expect(facets[0]).toEqual({
      index: { byteStart: 16, byteEnd: 16 + URL_.length },
      features: [{ $type: "app.bsky.richtext.facet#link", uri: URL_ }],
    });
    expect(facets[1]?.features[0]?.uri).toBe("https://example.com/a_(b)");
    const bytes = Buffer.from(text);
    for (const { index, features } of facets) {
      expect(bytes.subarray(index.byteStart, index.byteEnd).toString()).toBe(features[0]?.uri);
    }
  });

  it("renders at most 300 graphemes and 3,000 bytes, keeping the link and its facet", () => {
    const rendering = blueskyAdapter.render(
      buildFacts({ body: `${"👩‍👩‍👧‍👦 ".repeat(320)}${URL_}` }),
      settings(),
    );
    const { text } = rendering;
    expect(rendering.shortened).toBe(true);
    expect(graphemeCount(text)).toBeLessThanOrEqual(300);
    expect(utf8Length(text)).toBeLessThanOrEqual(3000);
    expect(text.endsWith(`… ${URL_}`)).toBe(true);
    expect(rendering.payload).toEqual({
      collection: "app.bsky.feed.post",
      record: { $type: "app.bsky.feed.post", text, facets: linkFacets(text) },
    });
    expect(linkFacets(text)).toHaveLength(1);
  });

  it("posts the first update and replies to it (root and parent) with the next, in one session", async () => {
    const first = await blueskyAdapter.deliver(
      ctx,
      attemptOf(blueskyAdapter.render(buildFacts(), settings())),
      settings(),
    );
    const [rootUri, rootCid] = first.threadId!.split("|");
    expect(first.providerMessageId).toBe(rootUri);
    expect(fake.posts.at(-1)).toMatchObject({ uri: rootUri, cid: rootCid });

    const next = blueskyAdapter.render(buildFacts({ body: `🎉 Fixed: ${URL_}` }), settings());
    const second = await blueskyAdapter.deliver(ctx, attemptOf(next, first), settings());
    expect(second.threadId).toBe(first.threadId);
    const root = { uri: rootUri, cid: rootCid };
    expect(fake.posts.at(-1)?.record).toEqual({
      $type: "app.bsky.feed.post",
      text: `🎉 Fixed: ${URL_}`,
      // "🎉" is 4 bytes, then " Fixed: " 8.
      facets: [{ index: { byteStart: 12, byteEnd: 12 + URL_.length }, features: expect.any(Array) }],
      createdAt: ctx.now().toISOString(),
      reply: { root, parent: root },
    });
    expect(fake.sessionsCreated()).toBe(1);
    expect(fake.requests.at(-1)?.headers["user-agent"]).toBe("Runsheet");
  });

  it("opens a new session when the access token has expired", async () => {
    fake.expireSessions();
    const rendering = blueskyAdapter.render(buildFacts({ body: "Still on it." }), settings());
    const before = fake.sessionsCreated();
    await blueskyAdapter.deliver(ctx, attemptOf(rendering), settings());
    expect(fake.sessionsCreated()).toBe(before + 1);
  });

  it("gives up on a wrong app password, waits out a 429, retries a 500", async () => {
    const rendering = blueskyAdapter.render(buildFacts(), settings());
    const wrong = blueskyAdapter.settings.parse({
      base_url: fake.url,
      identifier: "other.example",
      app_password: "x",
    });
    const refused = await failure(blueskyAdapter.deliver(ctx, attemptOf(rendering), wrong));
    expect(refused).toBeInstanceOf(GiveUp);
    expect(String(refused)).toContain("AuthenticationRequired");

    fake.failNext(1, 429, { "ratelimit-reset": String(NOW_S + 120) }, { error: "RateLimitExceeded" });
    const limited = await failure(blueskyAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect((limited as RetryLater).afterMs).toBe(120_000);

    fake.failNext(1, 502);
    const server = await failure(blueskyAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect(server).not.toBeInstanceOf(GiveUp);
    expect(server).not.toBeInstanceOf(RetryLater);
  });

  it("is held to the limits by the fake: 301 graphemes are refused", async () => {
    const rendering = blueskyAdapter.render(buildFacts(), settings());
    const text = "a".repeat(301);
    const tooLong = {
      ...rendering,
      payload: { collection: "app.bsky.feed.post", record: { $type: "app.bsky.feed.post", text } },
    };
    expect(await failure(blueskyAdapter.deliver(ctx, attemptOf(tooLong), settings()))).toBeInstanceOf(GiveUp);
  });

  it("defaults to bsky.social", () => {
    expect(blueskyAdapter.settings.parse({ identifier: "a.example", app_password: "p" }).serviceUrl).toBe(
      "https://bsky.social",
    );
  });
});

describe("x", () => {
  let fake: FakeX;
  beforeAll(async () => {
    fake = await startFakeX();
  });
  afterAll(() => fake.close());
  const settingsInput = () => ({
    api_key: fake.credentials.consumerKey,
    api_key_secret: fake.credentials.consumerSecret,
    access_token: fake.credentials.token,
    access_token_secret: fake.credentials.tokenSecret,
    base_url: fake.url,
  });
  const settings = () => xAdapter.settings.parse(settingsInput());

  it("renders at most 280 weighted characters: CJK counts 2, a link 23", () => {
    const rendering = xAdapter.render(buildFacts({ body: `${"障害".repeat(150)} ${URL_}` }), settings());
    expect(rendering.fullLength).toBe(600 + 1 + 23);
    expect(rendering.shortened).toBe(true);
    expect(rendering.length).toBeLessThanOrEqual(280);
    expect(rendering.payload).toEqual({ text: rendering.text });
    expect(rendering.text.endsWith(`… ${URL_}`)).toBe(true);
  });

  it("posts signed with OAuth 1.0a, then replies to the first post", async () => {
    const first = await xAdapter.deliver(
      ctx,
      attemptOf(xAdapter.render(buildFacts(), settings())),
      settings(),
    );
    const next = xAdapter.render(buildFacts({ body: `Resolved. ${URL_}` }), settings());
    const second = await xAdapter.deliver(ctx, attemptOf(next, first), settings());
    expect(second.threadId).toBe(first.providerMessageId);
    expect(fake.posts.at(-1)).toMatchObject({
      text: `Resolved. ${URL_}`,
      inReplyTo: first.providerMessageId,
    });
    expect(fake.requests.at(-1)?.json).toEqual({
      text: `Resolved. ${URL_}`,
      reply: { in_reply_to_tweet_id: first.providerMessageId },
    });
    expect(fake.requests.at(-1)?.headers.authorization).toMatch(
      /^OAuth oauth_consumer_key="x-api-key", oauth_nonce="/,
    );
  });

  it("gives up on duplicate content and on a wrong secret", async () => {
    const rendering = xAdapter.render(buildFacts({ body: "Same words twice." }), settings());
    await xAdapter.deliver(ctx, attemptOf(rendering), settings());
    const duplicate = await failure(xAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect(duplicate).toBeInstanceOf(GiveUp);
    expect(String(duplicate)).toContain("duplicate content");

    const wrong = xAdapter.settings.parse({ ...settingsInput(), access_token_secret: "leaked-and-rotated" });
    const other = xAdapter.render(buildFacts({ body: "Other words." }), settings());
    const refused = await failure(xAdapter.deliver(ctx, attemptOf(other), wrong));
    expect(refused).toBeInstanceOf(GiveUp);
    expect(String(refused)).toContain("401");
  });

  it("waits until x-rate-limit-reset on a 429, retries a 503 without Retry-After", async () => {
    const rendering = xAdapter.render(buildFacts({ body: "Rate limited." }), settings());
    fake.failNext(1, 429, { "x-rate-limit-reset": String(NOW_S + 900), "x-rate-limit-remaining": "0" });
    const limited = await failure(xAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect(limited).toBeInstanceOf(RetryLater);
    expect((limited as RetryLater).afterMs).toBe(900_000);

    fake.failNext(1, 503);
    const server = await failure(xAdapter.deliver(ctx, attemptOf(rendering), settings()));
    expect(server).not.toBeInstanceOf(GiveUp);
    expect(server).not.toBeInstanceOf(RetryLater);
  });

  it("defaults to api.x.com and needs all four keys", () => {
    const { base_url: _, ...withoutBase } = settingsInput();
    expect(xAdapter.settings.parse(withoutBase).baseUrl).toBe("https://api.x.com");
    expect(xAdapter.settings.safeParse({ ...withoutBase, access_token_secret: "" }).success).toBe(false);
  });
});

/** The property every renderer owes: within its limit, `shortened` exactly when cut, and accepted. */
async function fitsAndIsAccepted<S>(
  adapter: ChannelAdapter<S>,
  settings: S,
  facts: MessageFacts,
  measure: (text: string) => number,
): Promise<void> {
  const rendering = adapter.render(facts, settings);
  expect(rendering.length).toBeLessThanOrEqual(rendering.limit.max);
  expect(rendering.length).toBe(measure(rendering.text));
  expect(rendering.shortened).toBe(rendering.fullLength > rendering.limit.max);
  await adapter.deliver(ctx, attemptOf(rendering), settings);
}

describe("every social rendering fits its limit and is accepted", () => {
  let mastodon: FakeMastodon;
  let bluesky: FakeBluesky;
  let x: FakeX;
  beforeAll(async () => {
    [mastodon, bluesky, x] = await Promise.all([startFakeMastodon(), startFakeBluesky(), startFakeX()]);
  });
  afterAll(() => Promise.all([mastodon.close(), bluesky.close(), x.close()]));

  it("for arbitrary facts", async () => {
    const mastodonSettings = mastodonAdapter.settings.parse({
      instance_url: mastodon.url,
      access_token: mastodon.accessToken,
    });
    const blueskySettings = blueskyAdapter.settings.parse({
      service_url: bluesky.url,
      identifier: bluesky.handle,
      app_password: bluesky.appPassword,
    });
    const xSettings = xAdapter.settings.parse({
      api_key: x.credentials.consumerKey,
      api_key_secret: x.credentials.consumerSecret,
      access_token: x.credentials.token,
      access_token_secret: x.credentials.tokenSecret,
      base_url: x.url,
    });
    await fc.assert(
      fc.asyncProperty(arbitraryFacts, async (facts) => {
        x.posts.length = 0; // X refuses the same text twice; repeats across runs are not what this is about
        await fitsAndIsAccepted(mastodonAdapter, mastodonSettings, facts, mastodonLength);
        await fitsAndIsAccepted(blueskyAdapter, blueskySettings, facts, blueskyLength);
        await fitsAndIsAccepted(xAdapter, xSettings, facts, xWeightedLength);
      }),
      { numRuns: 150 },
    );
  });
});
