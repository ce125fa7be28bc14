import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTwilio, startFakeTwilio } from "../../../test/fakes/twilio.ts";
import { GiveUp, RetryLater } from "../../jobs/retry.ts";
import { pagingProviders } from "./config.ts";
import { twilioClient } from "./twilio.ts";

const ctx = { fetch: (url: string, init?: RequestInit) => fetch(url, init), now: () => new Date() };

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("the Twilio-compatible SMS and voice client", () => {
  let twilio: FakeTwilio;
  const client = () =>
    twilioClient({
      baseUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: twilio.from,
    });

  beforeAll(async () => {
    twilio = await startFakeTwilio();
  });
  afterAll(async () => twilio?.close());

  it("sends an SMS as a form with basic auth, keeping the message sid", async () => {
    const sent = await client().sendSms(ctx, "+351912345678", "Paged: INC-1 ✓");
    expect(sent.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages.at(-1)).toEqual({
      sid: sent.providerMessageId,
      to: "+351912345678",
      from: twilio.from,
      body: "Paged: INC-1 ✓",
    });
    const request = twilio.requests.at(-1)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("places a call with TwiML", async () => {
    const sent = await client().call(ctx, "+14155550100", "<Response><Say>Hello</Say></Response>");
    expect(sent.providerMessageId).toMatch(/^CA/);
    expect(twilio.calls.at(-1)).toMatchObject({
      to: "+14155550100",
      twiml: "<Response><Say>Hello</Say></Response>",
    });
  });

  it("gives up on a refusal, saying Twilio's code and message", async () => {
    const error = await failure(client().sendSms(ctx, "0912345678", "x"));
    expect(error).toBeInstanceOf(GiveUp);
    expect(error.message).toContain(
      "answered 400 (error 21211: The 'To' number 0912345678 is not a valid phone number.",
    );
    const wrong = twilioClient({
      baseUrl: twilio.url,
      accountSid: twilio.accountSid,
      authToken: "wrong",
      from: twilio.from,
    });
    const denied = await failure(wrong.sendSms(ctx, "+351912345678", "x"));
    expect(denied).toBeInstanceOf(GiveUp);
    expect(denied.message).toContain("401 (error 20003: Authenticate");
  });

  it("waits as long as a 429's Retry-After says, and retries a 503 on schedule", async () => {
    twilio.behave("Messages", [{ status: 429, retryAfter: 7 }, { status: 503 }]);
    const limited = await failure(client().sendSms(ctx, "+351912345678", "x"));
    expect(limited).toBeInstanceOf(RetryLater);
    expect((limited as RetryLater).afterMs).toBe(7_000);
    const down = await failure(client().sendSms(ctx, "+351912345678", "x"));
    expect(down).not.toBeInstanceOf(GiveUp);
    expect(down).not.toBeInstanceOf(RetryLater);
    expect(down.message).toContain("503");
  });
});

describe("the SMS and voice settings", () => {
  it("are off when none is set, and need all three when one is", () => {
    expect(pagingProviders({}).twilio).toBeNull();
    expect(() => pagingProviders({ RUNSHEET_TWILIO_ACCOUNT_SID: "AC1" })).toThrow(/set all of/);
    expect(() =>
      pagingProviders({
        RUNSHEET_TWILIO_ACCOUNT_SID: "AC1",
        RUNSHEET_TWILIO_AUTH_TOKEN: "t",
        RUNSHEET_TWILIO_FROM: "5550006",
      }),
    ).toThrow(/not complete/);
    expect(
      pagingProviders({
        RUNSHEET_TWILIO_ACCOUNT_SID: "AC1",
        RUNSHEET_TWILIO_AUTH_TOKEN: "t",
        RUNSHEET_TWILIO_FROM: "+15005550006",
        RUNSHEET_TWILIO_BASE_URL: "https://example.signalwire.com/api/laml/",
      }).twilio,
    ).toEqual({
      baseUrl: "https://example.signalwire.com/api/laml",
      accountSid: "AC1",
      authToken: "t",
      from: "+15005550006",
    });
  });
});
