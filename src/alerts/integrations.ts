import { randomBytes } from "node:crypto";
import type { Selectable } from "kysely";
import type { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import { sha256 } from "../auth/secrets.ts";
import type { Ctx } from "../context.ts";
import { invalid, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type { IntegrationsTable } from "../store/schema.ts";
import { heartbeatCheckJob } from "./heartbeat.ts";
import {
  type CreatedIntegration,
  type CreateIntegrationInput,
  DEFAULT_HEARTBEAT_SECONDS,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type Integration,
  type IntegrationRef,
} from "./model.ts";

/**
 * Integrations are how monitoring tools reach Runsheet: each has a key (32
 * lowercase hex characters, like a PagerDuty integration key) that is the
 * sender's only credential. The key is shown once; the store keeps its
 * SHA-256 and a prefix to tell keys apart.
 */
export const KEY_PATTERN = /^[0-9a-f]{32}$/;
const PREFIX_LENGTH = 8;

export function newIntegrationKey(): string {
  return randomBytes(16).toString("hex");
}

export function toIntegration(row: Selectable<IntegrationsTable>): Integration {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    service: row.service,
    keyPrefix: row.key_prefix,
    heartbeatSeconds: row.heartbeat_seconds,
    lastHeartbeatAt: row.last_heartbeat_at,
    rateLimitPerMinute: row.rate_limit_per_minute,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

export function toRef(row: Selectable<IntegrationsTable>): IntegrationRef {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    service: row.service,
    heartbeatSeconds: row.heartbeat_seconds,
    rateLimitPerMinute: row.rate_limit_per_minute,
  };
}

/** Where a monitoring tool sends events for this integration. */
export function intakeUrl(publicUrl: string, type: Integration["type"], key: string): string {
  return type === "pagerduty" ? `${publicUrl}/v2/enqueue` : `${publicUrl}/api/v1/integrations/${key}/${type}`;
}

export async function createIntegration(
  ctx: Ctx,
  input: z.output<typeof CreateIntegrationInput>,
  keys?: IntegrationKeys,
): Promise<CreatedIntegration> {
  const { plan } = ctx.plans.current();
  if (input.service !== undefined && !plan.components.some((c) => c.id === input.service)) {
    const known = plan.components.map((c) => c.id);
    throw invalid("The integration cannot be created as given.", [
      {
        path: "service",
        message: `"${input.service}" is not a component of the plan`,
        hint: known.length ? `use one of: ${known.join(", ")}` : "add components to the plan first",
      },
    ]);
  }
  const key = newIntegrationKey();
  const now = ctx.clock.now();
  const at = now.toISOString();
  const heartbeatSeconds =
    input.type === "heartbeat" ? (input.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) : null;
  const row = {
    id: newId(),
    name: input.name,
    type: input.type,
    service: input.service ?? null,
    key_hash: sha256(key),
    key_prefix: key.slice(0, PREFIX_LENGTH),
    heartbeat_seconds: heartbeatSeconds,
    last_heartbeat_at: null,
    created_at: at,
    created_by: actorUserId(ctx.actor),
    disabled_at: null,
    rate_limit_per_minute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.insertInto("integrations").values(row).execute();
    // The first check is due one interval after creation: a new heartbeat has that long to arrive.
    if (heartbeatSeconds !== null) {
      await heartbeatCheckJob(tx, row.id, new Date(now.getTime() + heartbeatSeconds * 1000), at);
    }
  });
  if (heartbeatSeconds !== null) ctx.comms.poke();
  keys?.forget(row.key_hash);
  return { ...toIntegration(row), key, url: intakeUrl(ctx.publicUrl, row.type, key) };
}

export async function listIntegrations(db: Db): Promise<Integration[]> {
  const rows = await db.selectFrom("integrations").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toIntegration);
}

/** Disables an integration: its key stops working at once; its alerts stay. */
export async function disableIntegration(ctx: Ctx, id: string, keys?: IntegrationKeys): Promise<void> {
  const at = ctx.clock.now().toISOString();
  const found = await ctx.store.transaction(async (tx) => {
    const row = await tx
      .selectFrom("integrations")
      .select(["id", "key_hash"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    await tx
      .updateTable("integrations")
      .set({ disabled_at: at })
      .where("id", "=", id)
      .where("disabled_at", "is", null)
      .execute();
    return row;
  });
  if (!found) throw notFound(`Integration ${id}`);
  keys?.forget(found.key_hash);
}

interface CacheEntry {
  ref: IntegrationRef | null;
  hash: string;
  expiresAt: number;
}

/**
 * Integration keys in memory: intake looks a key up on every event, and at
 * thousands of events a second a query each is the largest cost. Changes made
 * here forget their key at once; with several processes on one PostgreSQL, a
 * key disabled elsewhere stops working here within the entry's lifetime.
 * Unknown keys are remembered briefly too, so a sender with a wrong key does
 * not cost a query per event; the cache is bounded.
 */
export class IntegrationKeys {
  readonly #db: Db;
  readonly #entries = new Map<string, CacheEntry>();
  readonly #ttlMs: number;
  readonly #missTtlMs: number;
  readonly #maxEntries: number;

  constructor(db: Db, options: { ttlMs?: number; missTtlMs?: number; maxEntries?: number } = {}) {
    this.#db = db;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#missTtlMs = options.missTtlMs ?? 5_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /** The enabled integration with this key, or null (also for anything that is not a key). */
  async find(key: string): Promise<IntegrationRef | null> {
    const now = performance.now();
    // Entries are found by the key itself (hashing it costs more than the lookup).
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > now) return cached.ref;
    if (!KEY_PATTERN.test(key)) return null;
    const hash = sha256(key);
    const row = await this.#db
      .selectFrom("integrations")
      .selectAll()
      .where("key_hash", "=", hash)
      .where("disabled_at", "is", null)
      .executeTakeFirst();
    const ref = row ? toRef(row) : null;
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(key, { ref, hash, expiresAt: now + (ref ? this.#ttlMs : this.#missTtlMs) });
    return ref;
  }

  /** Forgets the key with this hash (after it was created or disabled). */
  forget(keyHash: string): void {
    for (const [key, entry] of this.#entries) if (entry.hash === keyHash) this.#entries.delete(key);
  }
}
