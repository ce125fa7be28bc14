import { readFileSync } from "node:fs";
import { createToken } from "../../src/auth/credentials.ts";
import type { OrgRole } from "../../src/auth/model.ts";
import { FirstRunSetup } from "../../src/auth/setup.ts";
import { createUser } from "../../src/auth/users.ts";
import type { CommsRuntime } from "../../src/comms/runtime.ts";
import { type App, buildApp } from "../../src/http/app.ts";
import { EXAMPLE_PLAN_PATH, type Plan, parsePlan } from "../../src/plan/index.ts";
import { PlanHolder, saveVersion } from "../../src/plan/versions.ts";
import { type Clock, fixedClock } from "../../src/shared/clock.ts";
import type { EventHub } from "../../src/shared/events.ts";
import type { StatusPageOptions } from "../../src/statuspage/index.ts";
import type { DialectName } from "../../src/store/column-types.ts";
import { openTestStore, type TestStore } from "./stores.ts";

export const EXAMPLE_YAML = readFileSync(EXAMPLE_PLAN_PATH, "utf8");

export function examplePlan(): Plan {
  const parsed = parsePlan(EXAMPLE_YAML);
  if (!parsed.ok) throw new Error(`example plan invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.plan;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: OrgRole;
  token: string;
  /** Headers that authenticate as this user. */
  auth: { authorization: string };
}

export interface TestApp extends TestStore {
  app: App;
  plans: PlanHolder;
  clock: ReturnType<typeof fixedClock>;
  /** Creates a user with an API token. */
  user(role: OrgRole, email?: string, name?: string): Promise<TestUser>;
  close(): Promise<void>;
}

let seq = 0;

/** A real app on a fresh store with the example plan, driven through app.inject(). */
export async function buildTestApp(
  dialect: DialectName,
  options: {
    plan?: Plan;
    clock?: Clock;
    start?: string;
    comms?: CommsRuntime;
    events?: EventHub;
    statusPage?: StatusPageOptions;
  } = {},
): Promise<TestApp> {
  const testStore = await openTestStore(dialect);
  const clock = fixedClock(options.start ?? "2026-11-27T03:00:00.000Z");
  const plans = new PlanHolder({ plan: options.plan ?? examplePlan(), version: 1 });
  await saveVersion(testStore.store, clock, EXAMPLE_YAML, "file", null);
  const setup = new FirstRunSetup();
  const app = await buildApp({
    ...(options.comms ? { comms: options.comms } : {}),
    ...(options.events ? { events: options.events } : {}),
    store: testStore.store,
    plans,
    clock: options.clock ?? clock,
    publicUrl: "http://runsheet.test",
    setup,
    ...(options.statusPage ? { statusPage: options.statusPage } : {}),
  });
  const ctx = { store: testStore.store, clock };
  return {
    ...testStore,
    app,
    plans,
    clock,
    async user(role, email, name) {
      seq += 1;
      const { user } = await createUser(ctx, {
        email: email ?? `${role}${seq}@example.com`,
        name: name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${seq}`,
        role,
        password: "correct horse battery staple",
      });
      const { token } = await createToken(ctx, user.id, "test");
      return { ...user, token, auth: { authorization: `Bearer ${token}` } };
    },
    async close() {
      await app.close();
      await testStore.cleanup();
    },
  };
}
