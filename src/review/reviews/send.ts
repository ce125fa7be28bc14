import { adapterFor } from "../../comms/adapters/index.ts";
import { channelSettings } from "../../comms/compose.ts";
import type { Ctx } from "../../context.ts";
import type { Channel, Plan } from "../../plan/schema.ts";
import { newId } from "../../shared/ids.ts";
import type { IncidentsTable } from "../../store/schema.ts";
import { readBool } from "../../store/values.ts";
import type { Person } from "./invite.ts";

/**
 * Review invites and reminders go through the plan's email channel named in
 * `review.channel`, else its first email channel: its SMTP server and From
 * address, but never its own recipient list (`to`): each message goes to one
 * person.
 */
export type SendDeps = Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">;

export function reviewEmailChannel(plan: Plan): Channel | undefined {
  return (
    plan.channels.find((c) => c.id === plan.review.channel && c.type === "email") ??
    plan.channels.find((c) => c.type === "email")
  );
}

export function incidentUrl(publicUrl: string, reference: string): string {
  return `${publicUrl.replace(/\/$/, "")}/app/incidents/${reference}`;
}

/** "Quillmark Status <status@example.com>" as a name and an address. */
export function senderOf(from: string): Person {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1] || null, email: match[2]!.trim() } : { email: from.trim() };
}

export interface ReviewEmail {
  to: string;
  subject: string;
  text: string;
  /** Stable across retries of the same job, so a retried message keeps its Message-ID. */
  deliveryId: string;
  /** Builds the invite once the sender (the ORGANIZER) is known. */
  calendar?: (sender: Person) => { method: "REQUEST" | "CANCEL"; content: string };
}

export async function sendReviewEmail(
  deps: SendDeps,
  plan: Plan,
  incident: IncidentsTable,
  email: ReviewEmail,
): Promise<void> {
  const channel = reviewEmailChannel(plan);
  if (!channel) return;
  const adapter = adapterFor("email");
  const { settings, problems } = await channelSettings(deps, channel, adapter);
  if (!settings) throw new Error(`Cannot email through ${channel.name}: ${problems.join("; ")}`);
  const rendering = adapter.render(
    {
      phase: "resolved",
      subject: email.subject,
      body: email.text,
      incident: {
        id: incident.id,
        reference: incident.reference,
        title: incident.title,
        url: incidentUrl(deps.publicUrl, incident.reference),
        status: incident.status,
        severityName: plan.severities.find((s) => s.id === incident.severity)?.name ?? incident.severity,
        components: [],
        drill: readBool(incident.drill),
      },
      organizationName: plan.organization.name,
      updateId: newId(),
    },
    settings,
  );
  const calendar = email.calendar?.(senderOf(String(settings.from)));
  await adapter.deliver(
    { fetch: deps.comms.fetch, now: () => deps.clock.now() },
    {
      deliveryId: email.deliveryId,
      attempt: 1,
      rendering: calendar
        ? {
            ...rendering,
            payload: {
              ...(rendering.payload as Record<string, unknown>),
              calendar: { ...calendar, filename: "review.ics" },
            },
          }
        : rendering,
      target: { key: email.to, address: email.to },
    },
    settings,
  );
}
