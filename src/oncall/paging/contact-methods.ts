import type { z } from "zod";
import { actorUserId, isAdmin } from "../../auth/model.ts";
import { newWebhookSecret } from "../../comms/standard-webhooks.ts";
import type { Ctx } from "../../context.ts";
import { conflict, forbidden, invalid, notFound } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { createUrlGuard, parseAllowlist } from "../../shared/ssrf.ts";
import type { ContactMethodsTable } from "../../store/schema.ts";
import { pagingProviders } from "../providers/config.ts";
import type { ContactMethod, ContactMethodInput, NotificationRule, NotificationRulesInput } from "./model.ts";
import { cancelNotificationsOf } from "./repository.ts";

/**
 * How each person is reached when paged: their contact methods (email, a chat
 * webhook, an ntfy topic, a signed webhook, SMS, a voice call) and the rules
 * that say which method is used how many minutes into a page. Anyone manages
 * their own; admins manage anyone's. Without rules a person is emailed at
 * their account's address at once.
 */
export const MAX_CONTACT_METHODS = 20;

/** "me" or a user id, resolved to the user whose methods are meant, if the actor may manage them. */
async function ownerOf(ctx: Ctx, user: string): Promise<string> {
  const me = actorUserId(ctx.actor);
  const id = user === "me" ? me : user;
  if (id === null) throw forbidden("Contact methods belong to people: sign in as one.");
  if (id !== me && !isAdmin(ctx.actor))
    throw forbidden("Only admins can manage someone else's contact methods.");
  const row = await ctx.store.db.selectFrom("users").select("id").where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`User ${user}`);
  return id;
}

function toContactMethod(row: ContactMethodsTable): ContactMethod {
  return { id: row.id, kind: row.kind, address: row.address, label: row.label, createdAt: row.created_at };
}

const DEFAULT_LABEL: Record<ContactMethod["kind"], string> = {
  email: "Email",
  chat_webhook: "Chat",
  ntfy: "ntfy",
  webhook: "Webhook",
  sms: "SMS",
  voice: "Phone call",
};

export async function listContactMethods(ctx: Ctx, user: string): Promise<{ items: ContactMethod[] }> {
  const userId = await ownerOf(ctx, user);
  const rows = await ctx.store.db
    .selectFrom("contact_methods")
    .selectAll()
    .where("user_id", "=", userId)
    .where("disabled_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return { items: rows.map(toContactMethod) };
}

/** Adds a method; a webhook's signing secret is in the answer this once and never again. */
export async function addContactMethod(
  ctx: Ctx,
  user: string,
  input: z.output<typeof ContactMethodInput>,
): Promise<{ contactMethod: ContactMethod; signingSecret?: string }> {
  const userId = await ownerOf(ctx, user);
  if (input.kind === "chat_webhook" || input.kind === "ntfy" || input.kind === "webhook") {
    try {
      // Its form and any literal address now; every address it resolves to is checked again when a page connects.
      createUrlGuard(parseAllowlist(ctx.comms.env.RUNSHEET_URL_ALLOWLIST)).checkUrl(input.address);
    } catch (error) {
      throw invalid("That URL cannot be used.", [
        { path: "address", message: (error as Error).message, hint: "give a public https:// URL" },
      ]);
    }
  }
  if ((input.kind === "sms" || input.kind === "voice") && !pagingProviders(ctx.comms.env).twilio) {
    throw invalid(`This server cannot send ${input.kind === "sms" ? "SMS" : "voice calls"}.`, [
      {
        path: "kind",
        message: "no SMS and voice provider is configured",
        hint: "an admin sets RUNSHEET_TWILIO_ACCOUNT_SID, RUNSHEET_TWILIO_AUTH_TOKEN and RUNSHEET_TWILIO_FROM and restarts; or choose another kind",
      },
    ]);
  }
  const secret = input.kind === "webhook" ? newWebhookSecret() : null;
  const row: ContactMethodsTable = {
    id: newId(),
    user_id: userId,
    kind: input.kind,
    address: input.kind === "email" ? input.address.toLowerCase() : input.address,
    label: input.label ?? DEFAULT_LABEL[input.kind],
    signing_secret: secret,
    created_at: ctx.clock.now().toISOString(),
    disabled_at: null,
  };
  await ctx.store.transaction(async (tx) => {
    const existing = await tx
      .selectFrom("contact_methods")
      .select(["kind", "address"])
      .where("user_id", "=", userId)
      .where("disabled_at", "is", null)
      .execute();
    if (existing.length >= MAX_CONTACT_METHODS) {
      throw invalid(`A person can have at most ${MAX_CONTACT_METHODS} contact methods.`, [
        { path: "kind", message: "too many contact methods", hint: "remove one you no longer use first" },
      ]);
    }
    if (existing.some((m) => m.kind === row.kind && m.address === row.address)) {
      throw conflict(`That ${DEFAULT_LABEL[row.kind]} contact method exists already.`);
    }
    await tx.insertInto("contact_methods").values(row).execute();
  });
  return secret
    ? { contactMethod: toContactMethod(row), signingSecret: secret }
    : { contactMethod: toContactMethod(row) };
}

/** Removes a method, its rules, and the notifications through it not sent yet. */
export async function removeContactMethod(ctx: Ctx, user: string, methodId: string): Promise<void> {
  const userId = await ownerOf(ctx, user);
  const now = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    const row = await tx
      .selectFrom("contact_methods")
      .select("id")
      .where("id", "=", methodId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!row) throw notFound(`Contact method ${methodId}`);
    await cancelNotificationsOf(tx, methodId, now);
    await tx.deleteFrom("notification_rules").where("contact_method_id", "=", methodId).execute();
    await tx.deleteFrom("contact_methods").where("id", "=", methodId).execute();
  });
}

export async function getNotificationRules(ctx: Ctx, user: string): Promise<{ items: NotificationRule[] }> {
  const userId = await ownerOf(ctx, user);
  const rows = await ctx.store.db
    .selectFrom("notification_rules as r")
    .innerJoin("contact_methods as m", "m.id", "r.contact_method_id")
    .select(["r.id as rule_id", "r.delay_minutes"])
    .selectAll("m")
    .where("r.user_id", "=", userId)
    .orderBy("r.delay_minutes")
    .orderBy("r.id")
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.rule_id,
      contactMethodId: r.id,
      delayMinutes: Number(r.delay_minutes),
      contactMethod: toContactMethod(r),
    })),
  };
}

/** Replaces all of a person's rules at once; each must use one of their own contact methods. */
export async function setNotificationRules(
  ctx: Ctx,
  user: string,
  input: z.output<typeof NotificationRulesInput>,
): Promise<{ items: NotificationRule[] }> {
  const userId = await ownerOf(ctx, user);
  const now = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    const mine = new Set(
      (
        await tx
          .selectFrom("contact_methods")
          .select("id")
          .where("user_id", "=", userId)
          .where("disabled_at", "is", null)
          .execute()
      ).map((m) => m.id),
    );
    const seen = new Set<string>();
    const issues = input.flatMap((rule, i) => {
      const key = `${rule.contactMethodId}@${rule.delayMinutes}`;
      const problems = [];
      if (!mine.has(rule.contactMethodId)) {
        problems.push({
          path: `${i}.contactMethodId`,
          message: "not one of this person's contact methods",
          hint: "use an id from GET /api/v1/users/me/contact-methods",
        });
      } else if (seen.has(key)) {
        problems.push({
          path: `${i}.delayMinutes`,
          message: "the same method at the same delay is listed twice",
          hint: "list each method and delay once",
        });
      }
      seen.add(key);
      return problems;
    });
    if (issues.length > 0) throw invalid("The notification rules cannot be used as given.", issues);
    await tx.deleteFrom("notification_rules").where("user_id", "=", userId).execute();
    if (input.length > 0) {
      await tx
        .insertInto("notification_rules")
        .values(
          input.map((rule) => ({
            id: newId(),
            user_id: userId,
            contact_method_id: rule.contactMethodId,
            delay_minutes: rule.delayMinutes,
            created_at: now,
          })),
        )
        .execute();
    }
  });
  return getNotificationRules(ctx, user);
}
