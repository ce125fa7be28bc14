import { adapterFor } from "../../comms/adapters/index.ts";
import { channelSettings } from "../../comms/compose.ts";
import type { Ctx } from "../../context.ts";
import { GiveUp } from "../../jobs/retry.ts";
import type { Channel, Plan } from "../../plan/schema.ts";
import type { Sent } from "./types.ts";

/**
 * Email pages go out through the SMTP server of one of the plan's email
 * channels: the one reminders use (`reminders.channel`), else the first email
 * channel. Its `from` is the sender; its own recipients (`to`) do not apply.
 */
export function pagingEmailChannel(plan: Plan): Channel | undefined {
  return (
    plan.channels.find((c) => c.id === plan.reminders.channel && c.type === "email") ??
    plan.channels.find((c) => c.type === "email")
  );
}

export async function sendPageEmail(
  deps: Pick<Ctx, "store" | "comms" | "clock">,
  plan: Plan,
  to: string,
  message: { subject: string; text: string; html: string },
  notificationId: string,
): Promise<Sent> {
  const channel = pagingEmailChannel(plan);
  if (!channel) throw new GiveUp("The plan has no email channel whose SMTP server could send pages.");
  const adapter = adapterFor("email");
  const { settings, problems } = await channelSettings(deps, channel, adapter);
  if (!settings) throw new Error(`Cannot send the page through ${channel.name}: ${problems.join("; ")}`);
  return adapter.deliver(
    { fetch: deps.comms.fetch, now: () => deps.clock.now() },
    {
      // The Message-ID is made from it: the same on a retry.
      deliveryId: notificationId,
      attempt: 1,
      rendering: {
        text: message.text,
        subject: message.subject,
        html: message.html,
        payload: message,
        length: message.text.length,
        fullLength: message.text.length,
        limit: { max: 100_000, unit: "characters" },
        shortened: false,
      },
      target: { key: to, address: to },
    },
    settings,
  );
}
