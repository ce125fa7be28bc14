import type { Actor } from "../auth/model.ts";
import type { Incident } from "../incidents/model.ts";
import { durationInWords, parseDuration } from "../plan/duration.ts";
import type { Channel, Impact, Plan } from "../plan/schema.ts";

/**
 * The plan's rules for each channel, applied to one incident and one person:
 * whether the channel applies now (`when`) and whether this person may
 * publish there (`who`), each with the reasons in words, so the composer can
 * show them and the server can refuse with them.
 */
export interface ChannelPolicy {
  channelId: string;
  name: string;
  type: Channel["type"];
  audience: "internal" | "external";
  applies: boolean;
  /** Why it applies, or why not. */
  reasons: string[];
  mayPublish: boolean;
  /** Who may publish here, in words. */
  who: string;
  how: string | null;
  more: string | null;
}

export const IMPACT_RANK: Record<Impact, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

const words = (impact: string) => impact.replaceAll("_", " ");

export function worstImpact(incident: Pick<Incident, "components">): Impact | null {
  let worst: Impact | null = null;
  for (const c of incident.components)
    if (worst === null || IMPACT_RANK[c.impact] > IMPACT_RANK[worst]) worst = c.impact;
  return worst;
}

export function channelPolicies(plan: Plan, incident: Incident, actor: Actor, now: Date): ChannelPolicy[] {
  return plan.channels.map((channel) => channelPolicy(plan, channel, incident, actor, now));
}

export function channelPolicy(
  plan: Plan,
  channel: Channel,
  incident: Incident,
  actor: Actor,
  now: Date,
): ChannelPolicy {
  const reasons: string[] = [];
  let applies = true;
  const fail = (reason: string) => {
    applies = false;
    reasons.push(reason);
  };
  const when = channel.when;
  const severityName = (id: string) => plan.severities.find((s) => s.id === id)?.name ?? id;

  if (incident.drill && !when.drills) fail("drills never reach this channel");
  if (incident.private && when.audience === "external")
    fail("private incidents are not announced outside the company");
  if (when.severities) {
    if (when.severities.includes(incident.severity))
      reasons.push(`severity ${severityName(incident.severity)} is listed`);
    else
      fail(
        `only for ${when.severities.map(severityName).join(", ")}; this incident is ${severityName(incident.severity)}`,
      );
  }
  if (when.min_impact) {
    const worst = worstImpact(incident);
    if (worst && IMPACT_RANK[worst] >= IMPACT_RANK[when.min_impact])
      reasons.push(`impact ${words(worst)} reaches ${words(when.min_impact)}`);
    else fail(`only from ${words(when.min_impact)}; the worst impact is ${worst ? words(worst) : "not set"}`);
  }
  if (when.min_duration) {
    const needed = parseDuration(when.min_duration);
    const elapsed = now.getTime() - Date.parse(incident.declaredAt);
    if (elapsed >= needed) reasons.push(`declared more than ${durationInWords(needed)} ago`);
    else
      fail(
        `only once an incident has lasted ${durationInWords(needed)}; ${durationInWords(needed - elapsed)} to go`,
      );
  }
  if (applies && reasons.length === 0) reasons.push(`for every ${when.audience} update`);

  const allowed = mayPublish(channel, incident, actor);
  return {
    channelId: channel.id,
    name: channel.name,
    type: channel.type,
    audience: when.audience,
    applies,
    reasons,
    mayPublish: allowed,
    who: whoInWords(channel, incident),
    how: channel.how ?? null,
    more: channel.more ?? null,
  };
}

function mayPublish(channel: Channel, incident: Incident, actor: Actor): boolean {
  if (actor.kind === "system" || actor.user.role === "admin") return true;
  if (actor.user.role === "viewer") return false;
  if (channel.who.users.some((email) => email.toLowerCase() === actor.user.email)) return true;
  return incident.roles.some((r) => r.holder?.id === actor.user.id && channel.who.roles.includes(r.roleId));
}

function whoInWords(channel: Channel, incident: Incident): string {
  const roles = channel.who.roles.map((id) => incident.roles.find((r) => r.roleId === id)?.name ?? id);
  const parts = [...roles, ...channel.who.users];
  return parts.length ? `${parts.join(", ")} (and admins)` : "admins only";
}
