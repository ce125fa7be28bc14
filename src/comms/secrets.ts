import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { AppError, invalid } from "../shared/errors.ts";
import type { Db } from "../store/open.ts";

/**
 * Channel credentials stored in Runsheet, encrypted with AES-256-GCM under
 * RUNSHEET_SECRET_KEY. The API writes and lists them by name; their values are
 * never returned or logged, and are decrypted only to deliver a message.
 */
const VERSION = "v1";

export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

/** The key is any string of at least 32 characters (use `openssl rand -base64 32`). */
export function secretBox(key: string | undefined): SecretBox | null {
  if (!key) return null;
  if (key.length < 32) {
    throw new AppError(
      "invalid",
      "RUNSHEET_SECRET_KEY is too short: use at least 32 random characters (openssl rand -base64 32).",
    );
  }
  const derived = createHash("sha256").update(key).digest();
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", derived, iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    decrypt(sealed) {
      const [version, data] = sealed.split(":");
      if (version !== VERSION || !data) throw new Error("unknown secret format");
      const raw = Buffer.from(data, "base64");
      const decipher = createDecipheriv("aes-256-gcm", derived, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}

export async function storeChannelSecret(
  ctx: Ctx,
  box: SecretBox | null,
  channelId: string,
  name: string,
  value: string,
): Promise<void> {
  if (!box) {
    throw invalid("Stored secrets need RUNSHEET_SECRET_KEY.", [
      {
        path: "value",
        message: "no encryption key configured",
        hint: "set RUNSHEET_SECRET_KEY to 32+ random characters and restart, or use { env: NAME } in the plan",
      },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const row = {
    channel_id: channelId,
    name,
    ciphertext: box.encrypt(value),
    updated_at: now,
    updated_by: actorUserId(ctx.actor),
  };
  await ctx.store.transaction(async (tx) => {
    await tx
      .insertInto("channel_secrets")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["channel_id", "name"])
          .doUpdateSet({ ciphertext: row.ciphertext, updated_at: now, updated_by: row.updated_by }),
      )
      .execute();
  });
}

export async function deleteChannelSecret(db: Db, channelId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom("channel_secrets")
    .where("channel_id", "=", channelId)
    .where("name", "=", name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listChannelSecrets(
  db: Db,
): Promise<Array<{ channelId: string; name: string; updatedAt: string }>> {
  const rows = await db
    .selectFrom("channel_secrets")
    .select(["channel_id", "name", "updated_at"])
    .orderBy("channel_id")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ channelId: r.channel_id, name: r.name, updatedAt: r.updated_at }));
}

/** The decrypted stored secrets of one channel, by name. */
export async function channelSecrets(
  db: Db,
  box: SecretBox | null,
  channelId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom("channel_secrets")
    .select(["name", "ciphertext"])
    .where("channel_id", "=", channelId)
    .execute();
  const out = new Map<string, string>();
  if (!box) return out;
  for (const row of rows) out.set(row.name, box.decrypt(row.ciphertext));
  return out;
}
