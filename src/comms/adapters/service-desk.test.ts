import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeJira,
  type FakeZendesk,
  startFakeJira,
  startFakeZendesk,
} from "../../../test/fakes/service-desks.ts";
import { adapterContext, arbitraryFacts, buildFacts } from "../../../test/fakes/social-providers.ts";
import { GiveUp, RetryLater } from "../../jobs/retry.ts";
import { utf8Length } from "../measure.ts";
import { jiraServiceManagementAdapter as jira } from "./jira-service-management.ts";
import type { ChannelAdapter, DeliveryAttempt, DeliveryOutcome, MessageFacts, Rendering } from "./types.ts";
import { zendeskAdapter as zendesk } from "./zendesk.ts";

const ctx = adapterContext();
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

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the delivery to fail"),
    (error: unknown) => error,
  );
}

function isPlainError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof GiveUp) && !(error instanceof RetryLater);
}

describe("jira service management", () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira();
  });
  afterAll(() => fake.close());
  const settingsInput = () => ({
    base_url: `${fake.url}/`,
    service_desk_id: fake.serviceDeskId,
    request_type_id: Number(fake.requestTypeId),
    email: fake.email,
    api_token: fake.apiToken,
  });
  const settings = () => jira.settings.parse(settingsInput());

  it("renders a request: the subject as summary, the update as description", () => {
    const rendering = jira.render(buildFacts({ incident: { drill: true } }), settings());
    expect(rendering.subject).toBe("[DRILL] Investigating: Checkout errors");
    expect(rendering.payload).toEqual({
      serviceDeskId: "4",
      requestTypeId: "27",
      requestFieldValues: { summary: rendering.subject, description: rendering.text },
    });
    expect(rendering.text.startsWith("[DRILL] We are investigating")).toBe(true);
    expect(rendering).toMatchObject({ shortened: false, limit: { max: 32_767, unit: "characters" } });
  });

  it("cuts a summary over 255 characters and keeps it whole in the description", () => {
    const subject = `Investigating:\n${"very ".repeat(80)}long`;
    const rendering = jira.render(buildFacts({ subject }), settings());
    expect(rendering.subject!.length).toBeLessThanOrEqual(255);
    expect(rendering.subject).not.toMatch(/\n/);
    expect(rendering.subject!.endsWith("…")).toBe(true);
    expect(rendering.text.startsWith(`Investigating: ${"very ".repeat(80)}long\n\n`)).toBe(true);
  });

  it("creates the request once, then comments on it (by its id) publicly", async () => {
    const first = await jira.deliver(ctx, attemptOf(jira.render(buildFacts(), settings())), settings());
    expect(first).toEqual({
      providerMessageId: fake.issues.at(-1)!.issueKey,
      threadId: fake.issues.at(-1)!.issueId,
    });
    expect(fake.requests.at(-1)?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from(`${fake.email}:${fake.apiToken}`).toString("base64")}`,
      "content-type": "application/json",
      "user-agent": "Runsheet",
    });

    const next = jira.render(
      buildFacts({ subject: "Resolved", body: `All good again. ${URL_}` }),
      settings(),
    );
    const second = await jira.deliver(ctx, attemptOf(next, first), settings());
    expect(second.threadId).toBe(first.threadId);
    expect(fake.requests.at(-1)).toMatchObject({
      method: "POST",
      path: `/rest/servicedeskapi/request/${first.threadId}/comment`,
      json: { body: `All good again. ${URL_}`, public: true },
    });
    expect(fake.issues.at(-1)?.comments).toEqual([`All good again. ${URL_}`]);
  });

  it("waits out a 429, gives up on 401 and 404, retries a 500", async () => {
    const rendering = jira.render(buildFacts(), settings());
    fake.failNext(1, 429, { "Retry-After": "30" }, { errorMessage: "Rate limit exceeded." });
    const limited = await failure(jira.deliver(ctx, attemptOf(rendering), settings()));
    expect(limited).toBeInstanceOf(RetryLater);
    expect((limited as RetryLater).afterMs).toBe(30_000);

    const wrong = jira.settings.parse({ ...settingsInput(), api_token: "revoked" });
    expect(await failure(jira.deliver(ctx, attemptOf(rendering), wrong))).toBeInstanceOf(GiveUp);
    const otherDesk = jira.settings.parse({ ...settingsInput(), service_desk_id: "99" });
    const misrouted = jira.render(buildFacts(), otherDesk);
    expect(await failure(jira.deliver(ctx, attemptOf(misrouted), otherDesk))).toBeInstanceOf(GiveUp);

    fake.failNext(1, 500);
    expect(isPlainError(await failure(jira.deliver(ctx, attemptOf(rendering), settings())))).toBe(true);
  });

  it("checks its settings as the plan writes them", () => {
    expect(jira.settings.safeParse({ ...settingsInput(), service_desk_id: "four" }).success).toBe(false);
    expect(jira.settings.safeParse({ ...settingsInput(), email: "not-an-email" }).success).toBe(false);
    expect(jira.settings.safeParse({ ...settingsInput(), api_token: undefined }).success).toBe(false);
  });
});

describe("zendesk", () => {
  let fake: FakeZendesk;
  beforeAll(async () => {
    fake = await startFakeZendesk();
  });
  afterAll(() => fake.close());
  const settingsInput = () => ({ base_url: fake.url, email: fake.email, api_token: fake.apiToken });
  const settings = () => zendesk.settings.parse(settingsInput());

  it("renders a ticket with a public comment", () => {
    const rendering = zendesk.render(buildFacts({ subject: "Investigating:\nCheckout errors " }), settings());
    expect(rendering.payload).toEqual({
      ticket: {
        subject: "Investigating: Checkout errors",
        comment: { body: buildFacts().body, public: true },
      },
    });
    expect(rendering).toMatchObject({ shortened: false, limit: { max: 64_000, unit: "bytes" } });
  });

  it("creates the ticket once (idempotently), then comments on it", async () => {
    const rendering = zendesk.render(buildFacts(), settings());
    const first = await zendesk.deliver(ctx, attemptOf(rendering, undefined, "dlv-z1"), settings());
    const again = await zendesk.deliver(ctx, attemptOf(rendering, undefined, "dlv-z1"), settings());
    expect(again).toEqual(first);
    expect(fake.tickets).toHaveLength(1);
    expect(fake.requests.at(-1)?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from(`${fake.email}/token:${fake.apiToken}`).toString("base64")}`,
      "idempotency-key": "dlv-z1",
    });

    const next = zendesk.render(buildFacts({ body: `Fixed. ${URL_}` }), settings());
    const second = await zendesk.deliver(ctx, attemptOf(next, first), settings());
    expect(second.threadId).toBe(first.threadId);
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
    expect(fake.requests.at(-1)).toMatchObject({
      method: "PUT",
      path: `/api/v2/tickets/${first.threadId}.json`,
      json: { ticket: { comment: { body: `Fixed. ${URL_}`, public: true } } },
    });
    expect(fake.tickets[0]?.comments.map((c) => c.body)).toEqual([buildFacts().body, `Fixed. ${URL_}`]);
  });

  it("waits out a 429, gives up on 401 and on a missing ticket, retries a 500", async () => {
    const rendering = zendesk.render(buildFacts(), settings());
    fake.failNext(1, 429, { "Retry-After": "93" }, { error: "TooManyRequests" });
    const limited = await failure(zendesk.deliver(ctx, attemptOf(rendering), settings()));
    expect((limited as RetryLater).afterMs).toBe(93_000);

    const wrong = zendesk.settings.parse({ ...settingsInput(), api_token: "revoked" });
    expect(await failure(zendesk.deliver(ctx, attemptOf(rendering), wrong))).toBeInstanceOf(GiveUp);
    const gone = attemptOf(rendering, { providerMessageId: "999", threadId: "999" });
    expect(await failure(zendesk.deliver(ctx, gone, settings()))).toBeInstanceOf(GiveUp);

    fake.failNext(1, 500);
    expect(isPlainError(await failure(zendesk.deliver(ctx, attemptOf(rendering), settings())))).toBe(true);
  });

  it("shortens a comment over 64 KB, keeping the link", () => {
    // CJK is 3 bytes a character, so the text passes 64 KB with few graphemes to segment.
    const rendering = zendesk.render(
      buildFacts({ body: `${"障害調査中。".repeat(3600)} ${URL_}` }),
      settings(),
    );
    expect(rendering.shortened).toBe(true);
    expect(utf8Length(rendering.text)).toBeLessThanOrEqual(64_000);
    expect(rendering.text.endsWith(`… ${URL_}`)).toBe(true);
  });
});

/** Within the limit, `shortened` exactly when cut, and accepted as a new ticket and as a comment. */
async function fitsAndIsAccepted<S>(
  adapter: ChannelAdapter<S>,
  settings: S,
  facts: MessageFacts,
): Promise<void> {
  const rendering = adapter.render(facts, settings);
  expect(rendering.length).toBeLessThanOrEqual(rendering.limit.max);
  expect(rendering.shortened).toBe(rendering.fullLength > rendering.limit.max);
  const first = await adapter.deliver(ctx, attemptOf(rendering), settings);
  await adapter.deliver(ctx, attemptOf(rendering, first), settings);
}

describe("every service-desk rendering fits its limit and is accepted", () => {
  let jiraFake: FakeJira;
  let zendeskFake: FakeZendesk;
  beforeAll(async () => {
    [jiraFake, zendeskFake] = await Promise.all([startFakeJira(), startFakeZendesk()]);
  });
  afterAll(() => Promise.all([jiraFake.close(), zendeskFake.close()]));

  it("for arbitrary facts", async () => {
    const jiraSettings = jira.settings.parse({
      base_url: jiraFake.url,
      service_desk_id: jiraFake.serviceDeskId,
      request_type_id: jiraFake.requestTypeId,
      email: jiraFake.email,
      api_token: jiraFake.apiToken,
    });
    const zendeskSettings = zendesk.settings.parse({
      base_url: zendeskFake.url,
      email: zendeskFake.email,
      api_token: zendeskFake.apiToken,
    });
    await fc.assert(
      fc.asyncProperty(arbitraryFacts, async (facts) => {
        await fitsAndIsAccepted(jira, jiraSettings, facts);
        await fitsAndIsAccepted(zendesk, zendeskSettings, facts);
      }),
      { numRuns: 150 },
    );
  });
});
