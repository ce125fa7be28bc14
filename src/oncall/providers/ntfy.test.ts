import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeNtfy, startFakeNtfy } from "../../../test/fakes/ntfy.ts";
import { GiveUp } from "../../jobs/retry.ts";
import { headerText, sendNtfy } from "./ntfy.ts";

const ctx = { fetch: (url: string, init?: RequestInit) => fetch(url, init), now: () => new Date() };

describe("ntfy pushes", () => {
  let ntfy: FakeNtfy;
  beforeAll(async () => {
    ntfy = await startFakeNtfy();
  });
  afterAll(async () => ntfy?.close());

  const page = {
    title: "Page: INC-3 Crítico — Zahlungen",
    body: "You are paged.\nAcknowledge: https://runsheet.example/ack/p1?exp=1&sig=s",
    click: "https://runsheet.example/ack/p1?exp=1&sig=s",
    ackUrl: "https://runsheet.example/ack/p1?exp=1&sig=s",
    incidentUrl: "https://runsheet.example/app/incidents/INC-3",
  };

  it("publishes at urgent priority with the ack link as click target and a POST action", async () => {
    const sent = await sendNtfy(ctx, `${ntfy.url}/ana-pages-3f9a`, page);
    const message = ntfy.messages.at(-1)!;
    expect(sent.providerMessageId).toBe(message.id);
    expect(message).toMatchObject({
      topic: "ana-pages-3f9a",
      title: page.title,
      message: page.body,
      priority: 5,
      tags: ["rotating_light"],
      click: page.click,
    });
    expect(message.actions).toEqual([
      { action: "http", label: "Acknowledge", url: page.ackUrl, params: { method: "POST", clear: "true" } },
      { action: "view", label: "Open incident", url: page.incidentUrl, params: {} },
    ]);
  });

  it("encodes a title that is not ASCII as RFC 2047, and leaves ASCII alone", () => {
    expect(headerText("Plain title")).toBe("Plain title");
    expect(headerText("Crítico")).toBe(`=?UTF-8?B?${Buffer.from("Crítico").toString("base64")}?=`);
    expect(headerText("two\nlines")).toBe("two lines");
  });

  it("gives up when the server refuses the topic", async () => {
    await expect(sendNtfy(ctx, `${ntfy.url}/not a topic`, page)).rejects.toBeInstanceOf(GiveUp);
  });
});
