import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp, type TestUser } from "./support/app.ts";

/** Reads server-sent events from a real connection until `count` incident events arrived or time ran out. */
function follow(port: number, user: TestUser, query = "") {
  const events: Array<Record<string, unknown>> = [];
  let request: http.ClientRequest | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    request = http.get(
      { port, path: `/api/v1/events${query}`, headers: { authorization: user.auth.authorization } },
      (res) => {
        expect(res.headers["content-type"]).toMatch(/text\/event-stream/);
        let buffer = "";
        res.on("data", (chunk: Buffer) => {
          buffer += chunk.toString();
          if (buffer.includes(": connected")) resolve();
          let at = buffer.indexOf("\n\n");
          while (at >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const data = /^data: (.*)$/m.exec(block);
            if (/^event: incident$/m.test(block) && data) events.push(JSON.parse(data[1]!));
            at = buffer.indexOf("\n\n");
          }
        });
      },
    );
    request.on("error", reject);
  });
  return {
    ready,
    events,
    async until(count: number, ms = 3000) {
      const start = Date.now();
      while (events.length < count && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 20));
      return events;
    },
    close: () => request?.destroy(),
  };
}

describe("live incident events", () => {
  let t: TestApp;
  let port: number;
  let responder: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await buildTestApp("sqlite");
    responder = await t.user("responder");
    viewer = await t.user("viewer");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => t?.close());

  it("streams each committed change, and private incidents only to those who may see them", async () => {
    const watcher = follow(port, viewer);
    const owner = follow(port, responder);
    await Promise.all([watcher.ready, owner.ready]);

    const declared = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: responder.auth,
      payload: { title: "Login errors", severity: "sev2", criteria: ["slo-breach"] },
    });
    const incident = declared.json();
    await t.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/timeline`,
      headers: responder.auth,
      payload: { kind: "note", body: "Looking at the auth service" },
    });
    const secret = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: responder.auth,
      payload: { title: "Token leak", severity: "sev1", criteria: ["data-or-security"], private: true },
    });

    const seenByOwner = await owner.until(3);
    expect(seenByOwner.map((e) => [e.reference, e.kind])).toEqual([
      [incident.reference, "declared"],
      [incident.reference, "note"],
      [secret.json().reference, "declared"],
    ]);
    expect(seenByOwner[0]).toEqual({
      incidentId: incident.id,
      reference: incident.reference,
      kind: "declared",
      version: 1,
    });

    const seenByViewer = await watcher.until(3, 500);
    expect(seenByViewer.map((e) => e.reference)).toEqual([incident.reference, incident.reference]);
    watcher.close();
    owner.close();
  });

  it("filters to one incident", async () => {
    const a = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/incidents",
        headers: responder.auth,
        payload: { title: "A", severity: "sev3", criteria: ["customer-reports"] },
      })
    ).json();
    const b = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/incidents",
        headers: responder.auth,
        payload: { title: "B", severity: "sev3", criteria: ["customer-reports"] },
      })
    ).json();
    const stream = follow(port, viewer, `?incident=${b.reference}`);
    await stream.ready;
    for (const id of [a.id, b.id]) {
      await t.app.inject({
        method: "POST",
        url: `/api/v1/incidents/${id}/status`,
        headers: responder.auth,
        payload: { status: "identified" },
      });
    }
    const events = await stream.until(2, 500);
    expect(events.map((e) => [e.incidentId, e.kind])).toEqual([[b.id, "status_changed"]]);
    stream.close();
  });
});
