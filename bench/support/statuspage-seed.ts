import { writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { createToken } from "../../src/auth/credentials.ts";
import { createUser } from "../../src/auth/users.ts";
import { PublishUpdateInput } from "../../src/comms/model.ts";
import { publishUpdate } from "../../src/comms/publish.ts";
import { createCommsRuntime } from "../../src/comms/runtime.ts";
import type { Ctx } from "../../src/context.ts";
import { changeStatus, declareIncident } from "../../src/incidents/index.ts";
import { loadStartupPlan } from "../../src/plan/versions.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { EventHub } from "../../src/shared/events.ts";
import { openStore, type StoreConfig } from "../../src/store/open.ts";
import { examplePlan } from "../../test/support/app.ts";

/**
 * A status page the size the benchmark asks for: 20 components in 4 groups,
 * 50 past incidents over the last 90 days (each with three public updates)
 * and 2 active ones. Seeded through the real verbs with a clock set to each
 * moment, so the recorded status changes and uptime are what they would be.
 */
export const GROUPS = ["Apps", "Payments", "Platform", "Integrations"];

export function writeStatusPagePlan(dir: string): string {
  const plan = examplePlan();
  const components = GROUPS.flatMap((group, g) =>
    Array.from({ length: 5 }, (_, i) => ({
      id: `${group.toLowerCase()}-${i + 1}`,
      name: `${group} service ${i + 1}`,
      group,
      description: `The ${group.toLowerCase()} service number ${i + 1}`,
    })).map((c, i) => ({ ...c, position: g * 5 + i })),
  ).map(({ position: _, ...c }) => c);
  const channels = plan.channels.filter((c) => c.type === "statuspage");
  const file = path.join(dir, "runsheet.yaml");
  writeFileSync(file, stringify({ ...plan, components, channels }));
  return file;
}

export async function seedStatusPage(
  storeConfig: StoreConfig,
  planFile: string,
  options: { past?: number; active?: number; now?: Date } = {},
): Promise<{ token: string }> {
  const now = options.now ?? new Date();
  const store = await openStore(storeConfig);
  try {
    const clock = fixedClock(new Date(now.getTime() - 91 * 86_400_000));
    const plans = await loadStartupPlan(store, clock, planFile);
    const { user } = await createUser(
      { store, clock },
      {
        email: "statuspage@example.com",
        name: "Page Admin",
        role: "admin",
        password: "status page passphrase",
      },
    );
    const { token } = await createToken({ store, clock }, user.id, "bench");
    const ctx: Ctx = {
      store,
      clock,
      plans,
      actor: {
        kind: "user",
        user: { id: user.id, email: user.email, name: user.name, role: "admin" },
        via: "cli",
      },
      publicUrl: "http://127.0.0.1",
      events: new EventHub(),
      comms: createCommsRuntime({ env: {} }),
    };
    const ids = plans.current().plan.components.map((c) => c.id);
    const post = (incidentId: string, phase: string, body: string) =>
      publishUpdate(ctx, incidentId, PublishUpdateInput.parse({ phase, body, channels: ["status-page"] }));
    const past = options.past ?? 50;
    const declare = async (i: number, title: string) => {
      const components = [
        { id: ids[(i * 7) % ids.length] as string, impact: i % 3 === 0 ? "major_outage" : "partial_outage" },
        { id: ids[(i * 7 + 3) % ids.length] as string, impact: "degraded_performance" },
      ] as const;
      const incident = await declareIncident(ctx, {
        title,
        severity: i % 2 === 0 ? "sev1" : "sev2",
        criteria: ["money-flow-down"],
        components: components.map((c) => ({ ...c })),
      });
      clock.advance(5 * 60_000);
      await post(
        incident.id,
        "investigating",
        `We are investigating reports of errors in ${title.toLowerCase()}. Some customers may see failures; we will update within 30 minutes.`,
      );
      return incident;
    };
    for (let i = past; i >= 1; i--) {
      clock.set(new Date(now.getTime() - (i * 88 * 86_400_000) / past - 3 * 3_600_000));
      const incident = await declare(i, `Errors in service ${i}`);
      clock.advance(25 * 60_000);
      await post(
        incident.id,
        "identified",
        "We found the cause: a configuration change rolled out this morning. We are rolling it back.",
      );
      clock.advance(40 * 60_000);
      await changeStatus(ctx, incident.id, { status: "resolved", override: true, reason: "seeded" });
      await post(
        incident.id,
        "resolved",
        "The rollback is complete and everything works normally again. We are sorry for the trouble.",
      );
    }
    for (let i = 0; i < (options.active ?? 2); i++) {
      clock.set(new Date(now.getTime() - (40 - i * 10) * 60_000));
      await declare(100 + i, `Slow responses in region ${i + 1}`);
    }
    return { token };
  } finally {
    await store.close();
  }
}
