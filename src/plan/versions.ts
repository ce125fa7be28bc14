import { readFile } from "node:fs/promises";
import { actorUserId } from "../auth/model.ts";
import { sha256 } from "../auth/secrets.ts";
import type { Ctx } from "../context.ts";
import type { Clock } from "../shared/clock.ts";
import { AppError, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { nextCounter } from "../store/counters.ts";
import type { Db, Store } from "../store/open.ts";
import { type PlanError, parsePlan } from "./index.ts";
import type { Plan } from "./schema.ts";

/**
 * Every plan Runsheet has run is kept as a version. The file on disk is where
 * users keep the plan in git: when its content differs from the version last
 * imported from it, it becomes the newest version at start. Edits through the
 * API become versions too and stay current until the file changes again.
 */
export interface CurrentPlan {
  plan: Plan;
  version: number;
}

export interface PlanVersion {
  version: number;
  source: "file" | "api";
  createdAt: string;
  createdBy: string | null;
}

export class PlanHolder {
  #current: CurrentPlan;
  constructor(initial: CurrentPlan) {
    this.#current = initial;
  }
  current(): CurrentPlan {
    return this.#current;
  }
  replace(next: CurrentPlan): void {
    this.#current = next;
  }
}

export function planInvalid(errors: PlanError[], what = "The plan is not valid"): AppError {
  return new AppError(
    "invalid",
    `${what}: ${errors.length} error${errors.length === 1 ? "" : "s"}.`,
    errors.map((e) => ({
      path: e.path,
      message: `line ${e.line}, column ${e.col}: ${e.message}`,
      ...(e.hint ? { hint: e.hint } : {}),
    })),
  );
}

/** Loads the plan at start: imports the file when it changed, else uses the newest stored version. */
export async function loadStartupPlan(store: Store, clock: Clock, file: string): Promise<PlanHolder> {
  const text = await readFile(file, "utf8").catch(() => {
    throw new AppError(
      "invalid",
      `Cannot read the plan file ${file}: pass --plan FILE or set RUNSHEET_PLAN.`,
    );
  });
  const hash = sha256(text);
  const lastFromFile = await store.db
    .selectFrom("plan_versions")
    .select(["content_hash"])
    .where("source", "=", "file")
    .orderBy("version", "desc")
    .executeTakeFirst();
  if (lastFromFile?.content_hash !== hash) {
    const parsed = parsePlan(text, file);
    if (!parsed.ok) throw planInvalid(parsed.errors, `The plan file ${file} is not valid`);
    const version = await saveVersion(store, clock, text, "file", null);
    return new PlanHolder({ plan: parsed.plan, version });
  }
  const newest = await store.db
    .selectFrom("plan_versions")
    .select(["yaml", "version"])
    .orderBy("version", "desc")
    .executeTakeFirstOrThrow();
  const parsed = parsePlan(newest.yaml);
  if (!parsed.ok) throw planInvalid(parsed.errors, `Stored plan version ${newest.version} is not valid`);
  return new PlanHolder({ plan: parsed.plan, version: newest.version });
}

export async function saveVersion(
  store: Store,
  clock: Clock,
  text: string,
  source: "file" | "api",
  userId: string | null,
): Promise<number> {
  return store.transaction(async (tx) => {
    const version = await nextCounter(tx, "plan_version");
    await tx
      .insertInto("plan_versions")
      .values({
        id: newId(),
        version,
        source,
        content_hash: sha256(text),
        yaml: text,
        created_at: clock.now().toISOString(),
        created_by: userId,
      })
      .execute();
    return version;
  });
}

/** PUT /plan: validates, keeps the new version, and makes it current. */
export async function replacePlan(ctx: Ctx, text: string): Promise<CurrentPlan> {
  const parsed = parsePlan(text);
  if (!parsed.ok) throw planInvalid(parsed.errors);
  const version = await saveVersion(ctx.store, ctx.clock, text, "api", actorUserId(ctx.actor));
  const next = { plan: parsed.plan, version };
  ctx.plans.replace(next);
  return next;
}

export async function listPlanVersions(db: Db): Promise<PlanVersion[]> {
  const rows = await db
    .selectFrom("plan_versions")
    .select(["version", "source", "created_at", "created_by"])
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => ({
    version: r.version,
    source: r.source,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}

export async function getPlanVersion(db: Db, version: number): Promise<PlanVersion & { yaml: string }> {
  const row = await db
    .selectFrom("plan_versions")
    .selectAll()
    .where("version", "=", version)
    .executeTakeFirst();
  if (!row) throw notFound(`Plan version ${version}`);
  return {
    version: row.version,
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    yaml: row.yaml,
  };
}
