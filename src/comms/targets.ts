import type { Incident } from "../incidents/model.ts";
import type { Channel } from "../plan/schema.ts";
import type { Db } from "../store/open.ts";
import { readJson } from "../store/values.ts";
import type { Target } from "./adapters/types.ts";

/**
 * Who one channel's message goes to. Most channels are one target (the chat
 * room, the account). An email channel goes to its `to` list, or without one
 * to the confirmed email subscribers; a webhook channel goes to its `url` and,
 * with `subscribers: true`, to every confirmed webhook subscriber. Subscribers
 * who chose components get only incidents that touch one of them.
 */
export async function targetsFor(
  db: Db,
  channel: Channel,
  incident: Incident,
  publicUrl: string,
): Promise<Target[]> {
  const settings = channel.settings;
  if (channel.type === "email") {
    const to = settings.to;
    if (Array.isArray(to)) return to.map((address) => ({ key: address.toLowerCase(), address }));
    return subscriberTargets(db, "email", incident, publicUrl);
  }
  if (channel.type === "webhook") {
    const targets: Target[] =
      typeof settings.url === "string" || typeof settings.url === "object" ? [{ key: "channel" }] : [];
    if (settings.subscribers === true)
      targets.push(...(await subscriberTargets(db, "webhook", incident, publicUrl)));
    return targets;
  }
  return [{ key: "channel" }];
}

async function subscriberTargets(
  db: Db,
  kind: "email" | "webhook",
  incident: Incident,
  publicUrl: string,
): Promise<Target[]> {
  const rows = await db
    .selectFrom("subscribers")
    .select(["id", "address", "components", "unsubscribe_token", "webhook_secret"])
    .where("kind", "=", kind)
    .where("state", "=", "confirmed")
    .orderBy("id")
    .execute();
  const affected = new Set(incident.components.map((c) => c.id));
  const base = publicUrl.replace(/\/$/, "");
  return rows
    .filter((row) => {
      const chosen = row.components === null ? null : readJson<string[] | null>(row.components);
      return !chosen || chosen.length === 0 || chosen.some((id) => affected.has(id));
    })
    .map((row) => ({
      key: row.id,
      address: row.address,
      unsubscribeUrl: `${base}/unsubscribe?token=${row.unsubscribe_token}`,
      ...(row.webhook_secret ? { signingSecret: row.webhook_secret } : {}),
    }));
}
