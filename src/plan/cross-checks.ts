import { adapterFor } from "../comms/adapters/index.ts";
import { placeholderSettings } from "../comms/settings.ts";
import type { Channel, Plan, Template } from "./schema.ts";
import { closest } from "./schema-walk.ts";
import { CHANNEL_SECRET_KEY, envNameFor } from "./secrets.ts";
import { TEMPLATE_VARIABLE_NAMES, templatePlaceholders } from "./template.ts";
import type { Finding } from "./zod-issues.ts";

/**
 * Rules that need the whole plan: references between sections, uniqueness, and
 * what a responder would otherwise only discover mid-incident (a channel no one
 * may post to, a template that sends "{{ incident.titel }}" to customers).
 * Runs only on a plan that already matches the schema.
 */
export interface CrossFinding extends Finding {
  /** Text inside the node to point at, e.g. the offending `{{ … }}`. */
  needle?: string;
}

export function crossCheck(plan: Plan): CrossFinding[] {
  return [
    ...duplicateIds(plan),
    ...leadRole(plan),
    ...criteria(plan),
    ...plan.channels.flatMap((channel, i) => channelReferences(plan, channel, i)),
    ...templateVariables(plan),
    ...plan.channels.flatMap(inlineSecrets),
    ...reminders(plan),
    ...onCallReferences(plan),
    ...reviewReferences(plan),
    ...plan.channels.flatMap(adapterSettings),
  ];
}

/** Each channel's settings, checked against what its adapter needs (secrets stand in as placeholders). */
function adapterSettings(channel: Channel, i: number): CrossFinding[] {
  const parsed = adapterFor(channel.type).settings.safeParse(placeholderSettings(channel));
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    path: ["channels", i, "settings", ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))],
    message: `${channel.type} channel: ${issue.message}`,
    hint:
      issue.code === "unrecognized_keys"
        ? `remove the unknown setting; a ${channel.type} channel takes: ${settingNames(channel)}`
        : `see the ${channel.type} settings in docs/CHANNELS.md`,
    ...(issue.code === "unrecognized_keys" ? { atKey: true } : {}),
  }));
}

function settingNames(channel: Channel): string {
  const schema = adapterFor(channel.type).settings as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape).join(", ") : "see docs/CHANNELS.md";
}

function reminders(plan: Plan): CrossFinding[] {
  const findings: CrossFinding[] = [];
  const { role, channel } = plan.reminders;
  if (role !== undefined && !plan.roles.some((r) => r.id === role)) {
    findings.push({
      path: ["reminders", "role"],
      message: `unknown role "${role}"`,
      hint: oneOf(plan.roles.map((r) => r.id)),
    });
  }
  findings.push(...emailChannelReference(plan, channel, ["reminders", "channel"]));
  return findings;
}

/** A section's `channel` names one of the plan's email channels (the SMTP server it sends through). */
function emailChannelReference(plan: Plan, channel: string | undefined, path: string[]): CrossFinding[] {
  const emailChannels = plan.channels.filter((c) => c.type === "email").map((c) => c.id);
  if (channel === undefined || emailChannels.includes(channel)) return [];
  return [
    {
      path,
      message: `"${channel}" is not an email channel of the plan`,
      hint: emailChannels.length ? oneOf(emailChannels) : "add an email channel first",
    },
  ];
}

/** The review rules name severities and an email channel the plan has. */
function reviewReferences(plan: Plan): CrossFinding[] {
  const severities = plan.severities.map((s) => s.id);
  const findings: CrossFinding[] = [];
  for (const key of ["required_for", "decision_required_for"] as const) {
    (plan.review[key] ?? []).forEach((id, i) => {
      if (!severities.includes(id)) {
        findings.push({
          path: ["review", key, i],
          message: `unknown severity "${id}"`,
          hint: oneOf(severities),
        });
      }
    });
  }
  findings.push(...emailChannelReference(plan, plan.review.channel, ["review", "channel"]));
  return findings;
}

/** Roles and escalation steps name schedules and policies the plan has. */
function onCallReferences(plan: Plan): CrossFinding[] {
  const schedules = plan.schedules.map((s) => s.id);
  const policies = plan.escalation_policies.map((p) => p.id);
  const findings: CrossFinding[] = [];
  const checkContact = (contact: unknown, path: Array<string | number>) => {
    if (typeof contact === "object" && contact !== null && "schedule" in contact) {
      const id = String((contact as { schedule: string }).schedule);
      if (!schedules.includes(id)) {
        findings.push({
          path: [...path, "schedule"],
          message: `unknown schedule "${id}"`,
          hint: schedules.length ? oneOf(schedules) : "add it under schedules:",
        });
      }
    }
  };
  plan.roles.forEach((role, i) => {
    checkContact(role.primary, ["roles", i, "primary"]);
    checkContact(role.backup, ["roles", i, "backup"]);
    if (role.escalation_policy !== undefined && !policies.includes(role.escalation_policy)) {
      findings.push({
        path: ["roles", i, "escalation_policy"],
        message: `unknown escalation policy "${role.escalation_policy}"`,
        hint: policies.length ? oneOf(policies) : "add it under escalation_policies:",
      });
    }
  });
  plan.escalation_policies.forEach((policy, p) => {
    policy.steps.forEach((step, s) => {
      step.targets.forEach((target, t) => {
        checkContact(target, ["escalation_policies", p, "steps", s, "targets", t]);
      });
    });
  });
  return findings;
}

const LISTS = [
  { path: ["components"], noun: "component", items: (p: Plan) => p.components },
  { path: ["definition", "criteria"], noun: "criterion", items: (p: Plan) => p.definition.criteria },
  { path: ["severities"], noun: "severity", items: (p: Plan) => p.severities },
  { path: ["roles"], noun: "role", items: (p: Plan) => p.roles },
  { path: ["channels"], noun: "channel", items: (p: Plan) => p.channels },
  { path: ["schedules"], noun: "schedule", items: (p: Plan) => p.schedules },
  { path: ["escalation_policies"], noun: "escalation policy", items: (p: Plan) => p.escalation_policies },
  { path: ["postmortem", "sections"], noun: "postmortem section", items: (p: Plan) => p.postmortem.sections },
  {
    path: ["action_items", "priorities"],
    noun: "action item priority",
    items: (p: Plan) => p.action_items.priorities,
  },
] as const;

function duplicateIds(plan: Plan): CrossFinding[] {
  return LISTS.flatMap(({ path, noun, items }) => {
    const firstIndex = new Map<string, number>();
    return items(plan).flatMap((item, i) => {
      const first = firstIndex.get(item.id);
      if (first === undefined) {
        firstIndex.set(item.id, i);
        return [];
      }
      return [
        {
          path: [...path, i, "id"],
          message: `duplicate id "${item.id}": ${[...path, first].join(".")} already uses it`,
          hint: `give each ${noun} its own id`,
        },
      ];
    });
  });
}

function leadRole(plan: Plan): CrossFinding[] {
  const leads = plan.roles.flatMap((role, i) => (role.lead ? [i] : []));
  if (leads.length === 0) {
    return [
      {
        path: ["roles"],
        message: "no role has `lead: true`",
        hint: "set `lead: true` on the role that runs incidents, such as the Major Incident Manager",
      },
    ];
  }
  const [first, ...others] = leads;
  const firstId = plan.roles[first ?? 0]?.id;
  return others.map((i) => ({
    path: ["roles", i, "lead"],
    message: `only one role can lead, and roles.${first} (${firstId}) already has \`lead: true\``,
    hint: "remove `lead: true` from all roles but the one that runs incidents",
  }));
}

function oneOf(ids: readonly string[]): string {
  return `use one of: ${[...new Set(ids)].join(", ")}`;
}

function criteria(plan: Plan): CrossFinding[] {
  const severityIds = plan.severities.map((s) => s.id);
  return plan.definition.criteria.flatMap((criterion, i) => {
    const at = ["definition", "criteria", i];
    const findings: CrossFinding[] = [];
    if (criterion.severity !== undefined && !severityIds.includes(criterion.severity)) {
      findings.push({
        path: [...at, "severity"],
        message: `unknown severity "${criterion.severity}"`,
        hint: oneOf(severityIds),
      });
    }
    if (criterion.action === "declare" && criterion.severity === undefined) {
      findings.push({
        path: [...at, "severity"],
        message: "`action: declare` needs the severity to declare the incident at",
        hint: `add \`severity: ${severityIds[0]}\`; ${oneOf(severityIds)}`,
      });
    }
    if (criterion.action === "declare" && criterion.match === undefined) {
      findings.push({
        path: [...at, "match"],
        message: "`action: declare` needs a `match` rule, or no alert can ever declare it",
        hint: "add `match:` with a source, severity or labels, or use `action: propose`",
      });
    }
    return findings;
  });
}

function channelReferences(plan: Plan, channel: Channel, i: number): CrossFinding[] {
  const severityIds = plan.severities.map((s) => s.id);
  const roleIds = plan.roles.map((r) => r.id);
  const unknownSeverities = (channel.when.severities ?? []).flatMap((id, j) =>
    severityIds.includes(id)
      ? []
      : [
          {
            path: ["channels", i, "when", "severities", j],
            message: `unknown severity "${id}"`,
            hint: oneOf(severityIds),
          },
        ],
  );
  const unknownRoles = channel.who.roles.flatMap((id, j) =>
    roleIds.includes(id)
      ? []
      : [{ path: ["channels", i, "who", "roles", j], message: `unknown role "${id}"`, hint: oneOf(roleIds) }],
  );
  return [...unknownSeverities, ...unknownRoles];
}

function templateVariables(plan: Plan): CrossFinding[] {
  const sets: Array<{ path: Array<string | number>; templates: Partial<Record<string, Template>> }> = [
    { path: ["templates"], templates: plan.templates },
    ...plan.channels.map((c, i) => ({ path: ["channels", i, "templates"], templates: c.templates ?? {} })),
  ];
  return sets.flatMap(({ path, templates }) =>
    Object.entries(templates).flatMap(([phase, template]) => {
      if (template === undefined) return [];
      const texts =
        typeof template === "string"
          ? [{ path: [...path, phase], text: template }]
          : [
              { path: [...path, phase, "subject"], text: template.subject ?? "" },
              { path: [...path, phase, "body"], text: template.body },
            ];
      return texts.flatMap(({ path: at, text }) => unknownVariables(at, text));
    }),
  );
}

function unknownVariables(path: Array<string | number>, text: string): CrossFinding[] {
  return templatePlaceholders(text)
    .filter((p) => !TEMPLATE_VARIABLE_NAMES.includes(p.name))
    .map((p) => {
      const guess = closest(p.name, TEMPLATE_VARIABLE_NAMES);
      const known = `known variables: ${TEMPLATE_VARIABLE_NAMES.join(", ")}`;
      return {
        path,
        message: `unknown template variable "${p.name}"`,
        hint: guess ? `did you mean {{ ${guess} }}? ${known}` : known,
        needle: p.raw,
      };
    });
}

function inlineSecrets(channel: Channel, i: number): CrossFinding[] {
  return Object.entries(channel.settings).flatMap(([key, value]) => {
    if (!CHANNEL_SECRET_KEY.test(key)) return [];
    if (typeof value === "object" && !Array.isArray(value)) return []; // an { env: NAME } or { secret: NAME } reference
    return [
      {
        path: ["channels", i, "settings", key],
        message: `"${key}" looks like a secret and must not be written in the plan file`,
        hint: `write \`{ env: ${envNameFor(channel.id, key)} }\` and set that environment variable, or store it in Runsheet and write \`{ secret: ${key} }\``,
      },
    ];
  });
}
