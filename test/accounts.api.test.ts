import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirstRunSetup } from "../src/auth/setup.ts";
import { buildApp } from "../src/http/app.ts";
import { PlanHolder } from "../src/plan/versions.ts";
import { fixedClock } from "../src/shared/clock.ts";
import { examplePlan } from "./support/app.ts";
import { dialects, openTestStore, type TestStore } from "./support/stores.ts";

describe.each(dialects())("accounts on %s", (dialect) => {
  let ts: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let setup: FirstRunSetup;
  let code: string | null;
  const password = "a long enough passphrase";

  beforeAll(async () => {
    ts = await openTestStore(dialect);
    setup = new FirstRunSetup();
    code = await setup.prepare(ts.store);
    app = await buildApp({
      store: ts.store,
      plans: new PlanHolder({ plan: examplePlan(), version: 1 }),
      clock: fixedClock("2026-11-27T10:00:00Z"),
      publicUrl: "http://runsheet.test",
      setup,
    });
  });
  afterAll(async () => {
    await app?.close();
    await ts?.cleanup();
  });

  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    String(res.headers["set-cookie"]).split(";")[0]!;

  it("sets up the first admin once, with the printed code only", async () => {
    expect(code).toMatch(/^[\w-]{40,}$/);
    expect((await app.inject({ method: "GET", url: "/api/v1/setup" })).json()).toEqual({ pending: true });
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/setup",
      payload: { code: "guess", email: "ana@example.com", name: "Ana", password },
    });
    expect(wrong.statusCode).toBe(403);
    const short = await app.inject({
      method: "POST",
      url: "/api/v1/setup",
      payload: { code, email: "ana@example.com", name: "Ana", password: "short" },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe("body.password");
    const ok = await app.inject({
      method: "POST",
      url: "/api/v1/setup",
      payload: { code, email: "Ana@Example.com", name: "Ana", password },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().user).toMatchObject({ email: "ana@example.com", role: "admin" });
    expect(String(ok.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Strict/);
    const again = await app.inject({
      method: "POST",
      url: "/api/v1/setup",
      payload: { code, email: "eve@example.com", name: "Eve", password },
    });
    expect(again.statusCode).toBe(409);
    expect((await app.inject({ method: "GET", url: "/api/v1/setup" })).json()).toEqual({ pending: false });
  });

  it("signs in with a password, uses the session, refuses cross-site writes, and signs out", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ana@example.com", password: "wrong password!" },
    });
    expect(bad.statusCode).toBe(401);
    const unknown = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "nobody@example.com", password },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(bad.json().detail);

    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ana@example.com", password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = cookieOf(login);
    const me = await app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });
    expect(me.json().user.email).toBe("ana@example.com");

    const declare = { title: "From the browser", severity: "sev3", criteria: ["customer-reports"] };
    const crossSite = await app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: { cookie, origin: "https://evil.example", host: "runsheet.test" },
      payload: declare,
    });
    expect(crossSite.statusCode).toBe(403);
    const sameSite = await app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: { cookie, origin: "http://runsheet.test", host: "runsheet.test" },
      payload: declare,
    });
    expect(sameSite.statusCode).toBe(201);
    const form = await app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: { cookie, "content-type": "text/plain" },
      payload: JSON.stringify(declare),
    });
    expect(form.statusCode).toBe(415);

    const out = await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } })).statusCode).toBe(
      401,
    );
  });

  it("manages users and tokens: tokens are shown once, stored hashed, and can be revoked", async () => {
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ana@example.com", password },
    });
    const cookie = cookieOf(login);
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { cookie },
      payload: { email: "ben@example.com", name: "Ben", role: "responder" },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().generatedPassword).toMatch(/^[\w-]{20,}$/);
    const duplicate = await app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { cookie },
      payload: { email: "BEN@example.com", name: "Ben again" },
    });
    expect(duplicate.statusCode).toBe(409);

    const token = await app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie },
      payload: { label: "ci" },
    });
    expect(token.statusCode).toBe(201);
    const secret = token.json().token as string;
    expect(secret).toMatch(/^rs_/);
    const stored = await ts.store.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", token.json().record.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret.slice(3));
    const list = await app.inject({
      method: "GET",
      url: "/api/v1/tokens",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).not.toContain(secret);

    const revoke = await app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${token.json().record.id}`,
      headers: { cookie },
    });
    expect(revoke.statusCode).toBe(204);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${secret}` } }))
        .statusCode,
    ).toBe(401);

    // A responder cannot make themselves admin; an admin cannot demote the last admin.
    const ben = created.json().user;
    const benLogin = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ben@example.com", password: created.json().generatedPassword },
    });
    const benCookie = cookieOf(benLogin);
    const promote = await app.inject({
      method: "PATCH",
      url: `/api/v1/users/${ben.id}`,
      headers: { cookie: benCookie },
      payload: { role: "admin" },
    });
    expect(promote.statusCode).toBe(403);
    const me = (await app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } })).json().user;
    const demote = await app.inject({
      method: "PATCH",
      url: `/api/v1/users/${me.id}`,
      headers: { cookie },
      payload: { role: "viewer" },
    });
    expect(demote.statusCode).toBe(422);
    // Ben's token is used (and so remembered) before he is disabled.
    const benToken = (
      await app.inject({ method: "POST", url: "/api/v1/tokens", headers: { cookie: benCookie }, payload: {} })
    ).json().token as string;
    const benBearer = { authorization: `Bearer ${benToken}` };
    expect((await app.inject({ method: "GET", url: "/api/v1/me", headers: benBearer })).statusCode).toBe(200);
    // Disabling a user ends their sessions and stops their tokens at once.
    const disable = await app.inject({
      method: "PATCH",
      url: `/api/v1/users/${ben.id}`,
      headers: { cookie },
      payload: { disabled: true },
    });
    expect(disable.json().disabled).toBe(true);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie: benCookie } })).statusCode,
    ).toBe(401);
    expect((await app.inject({ method: "GET", url: "/api/v1/me", headers: benBearer })).statusCode).toBe(401);
  });
});
