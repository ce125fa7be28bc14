import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Ctx } from "../../context.ts";
import type { Store } from "../../store/open.ts";

/**
 * Every page message carries a link that acknowledges it in one click:
 * `/ack/{pageId}?exp=<unix seconds>&sig=<base64url HMAC-SHA256 of "pageId.exp">`.
 * The key comes from RUNSHEET_SECRET_KEY (the key of stored channel secrets)
 * when it is set, derived for this one use; otherwise Runsheet makes a random
 * key once and keeps it in the settings table, so links work without any
 * configuration and survive restarts.
 */
export const ACK_LINK_TTL_MS = 24 * 3_600_000;
const SETTING = "paging.ack_link_key";
const PURPOSE = "runsheet page acknowledgement links v1";

const keys = new WeakMap<Store, Promise<Buffer>>();

export function ackLinkKey(deps: Pick<Ctx, "store" | "comms" | "clock">): Promise<Buffer> {
  let key = keys.get(deps.store);
  if (!key) {
    key = loadKey(deps);
    keys.set(deps.store, key);
    key.catch(() => keys.delete(deps.store));
  }
  return key;
}

async function loadKey(deps: Pick<Ctx, "store" | "comms" | "clock">): Promise<Buffer> {
  const secret = deps.comms.env.RUNSHEET_SECRET_KEY;
  if (secret) return createHmac("sha256", secret).update(PURPOSE).digest();
  const read = () =>
    deps.store.db.selectFrom("settings").select("value").where("key", "=", SETTING).executeTakeFirst();
  let row = await read();
  if (!row) {
    // Two processes starting at once both try; the first insert wins and both read it back.
    await deps.store.transaction((tx) =>
      tx
        .insertInto("settings")
        .values({
          key: SETTING,
          value: randomBytes(32).toString("base64"),
          updated_at: deps.clock.now().toISOString(),
        })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute(),
    );
    row = await read();
  }
  return Buffer.from(row!.value, "base64");
}

function sign(key: Buffer, pageId: string, exp: number): string {
  return createHmac("sha256", key).update(`${pageId}.${exp}`).digest("base64url");
}

export interface AckLink {
  url: string;
  expiresAt: string;
}

/** The link for a page, valid for a day from when the page was made. */
export function ackLink(publicUrl: string, key: Buffer, pageId: string, pageCreatedAt: string): AckLink {
  const exp = Math.floor((Date.parse(pageCreatedAt) + ACK_LINK_TTL_MS) / 1000);
  const base = publicUrl.replace(/\/$/, "");
  return {
    url: `${base}/ack/${encodeURIComponent(pageId)}?exp=${exp}&sig=${sign(key, pageId, exp)}`,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}

/** "invalid" for a link that was not made here or was changed; "expired" for a genuine old one. */
export function checkAckLink(
  key: Buffer,
  pageId: string,
  exp: string,
  sig: string,
  now: Date,
): "ok" | "expired" | "invalid" {
  if (!/^\d{1,12}$/.test(exp)) return "invalid";
  const expected = Buffer.from(sign(key, pageId, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
  return now.getTime() >= Number(exp) * 1000 ? "expired" : "ok";
}
