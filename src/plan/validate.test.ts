import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PLAN_PATH, formatPlanErrors, loadPlanFile, type PlanError, parsePlan } from "./index.ts";
import { edit, MINIMAL_PLAN } from "./test-fixtures.ts";

function errorsOf(text: string): PlanError[] {
  const result = parsePlan(text);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result.errors;
}

describe("parsePlan", () => {
  it("accepts the example plan", async () => {
    const result = parsePlan(await readFile(EXAMPLE_PLAN_PATH, "utf8"));
    if (!result.ok) throw new Error(formatPlanErrors(result.errors, EXAMPLE_PLAN_PATH));
    expect(result.plan.organization.name).toBe("Quillmark");
    expect(result.plan.roles.filter((r) => r.lead).map((r) => r.id)).toEqual(["incident-manager"]);
  });

  it("ships the sheet's four recommended roles with its bullets verbatim", async () => {
    const result = parsePlan(await readFile(EXAMPLE_PLAN_PATH, "utf8"));
    if (!result.ok) throw new Error("the example must be valid");
    const recommended = Object.fromEntries(
      result.plan.roles.filter((r) => r.recommended).map((r) => [r.id, r.responsibilities]),
    );
    expect(recommended).toEqual({
      "incident-manager": [
        "Assess the severity (service and customer impact)",
        "Escalate to the appropriate people on-call",
        "Track changes, decisions, and fixes (and confirm final fix)",
        "Hold a post-incident review meeting",
        "Decide if a public post-mortem is needed",
      ],
      "comms-manager": [
        "Determine the communication channels you will use for internal and external comms",
        "Draft external communications",
        "Send comms early and often throughout the duration of the incident",
        "Write post-mortem, if appropriate",
      ],
      "support-lead": [
        "Handle incoming support tickets, emails, phone calls, etc.",
        "Work with product, engineering, marketing, etc. to ensure accurate and consistent comms",
      ],
      "social-lead": ["Work alongside support team to field questions on social media channels"],
    });
    const types = new Set(result.plan.channels.map((c) => c.type));
    expect(types.size).toBe(13);
  });

  it("accepts the minimal fixture and applies defaults", () => {
    const result = parsePlan(MINIMAL_PLAN);
    if (!result.ok) throw new Error(formatPlanErrors(result.errors, "fixture"));
    expect(result.plan.organization.timezone).toBe("UTC");
    expect(result.plan.roles[1]?.ack_within).toBe("5m");
  });

  const broken: Array<{
    name: string;
    text: string;
    path: string;
    line: number;
    col: number;
    hint?: RegExp;
  }> = [
    {
      name: "YAML syntax error",
      text: edit(MINIMAL_PLAN, "name: Tiny Co", 'name: "Tiny Co'),
      path: "organization.name",
      line: 2,
      col: 9,
      hint: /close the quote/,
    },
    {
      name: "duplicate key",
      text: edit(MINIMAL_PLAN, "  name: Tiny Co\n", "  name: Tiny Co\n  name: Other Co\n"),
      path: "organization.name",
      line: 3,
      col: 3,
    },
    {
      name: "wrong type",
      text: edit(MINIMAL_PLAN, "update_every: 20m", "update_every: 20"),
      path: "severities.0.update_every",
      line: 15,
      col: 19,
      hint: /duration such as 20m/,
    },
    {
      name: "unknown field",
      text: edit(MINIMAL_PLAN, "    update_every: 20m\n", "    update_every: 20m\n    update_evry: 30m\n"),
      path: "severities.0.update_evry",
      line: 16,
      col: 5,
      hint: /did you mean "update_every"/,
    },
    {
      name: "missing required field",
      text: edit(MINIMAL_PLAN, "      audience: internal\n", "      drills: true\n"),
      path: "channels.0.when.audience",
      line: 26,
      col: 5,
      hint: /internal, external/,
    },
    {
      name: "duplicate id",
      text: edit(MINIMAL_PLAN, "  - id: comms\n", "  - id: lead\n"),
      path: "roles.1.id",
      line: 20,
      col: 9,
      hint: /its own id/,
    },
    {
      name: "unknown role in a channel's who",
      text: edit(MINIMAL_PLAN, "roles: [lead, comms]", "roles: [lead, comm]"),
      path: "channels.0.who.roles.1",
      line: 29,
      col: 21,
      hint: /use one of: lead, comms/,
    },
    {
      name: "unknown template variable",
      text: edit(MINIMAL_PLAN, "{{ incident.title }}", "{{ incident.titel }}"),
      path: "templates.investigating",
      line: 33,
      col: 34,
      hint: /did you mean \{\{ incident\.title \}\}\? known variables: incident\.title, /,
    },
    {
      name: "inline secret",
      text: edit(MINIMAL_PLAN, "{ env: SLACK_WEBHOOK_URL }", "https://hooks.slack.com/services/T0/B0/abc"),
      path: "channels.0.settings.webhook_url",
      line: 31,
      col: 20,
      hint: /write `\{ env: SLACK_WEBHOOK_URL \}` and set that environment variable/,
    },
    {
      name: "two lead roles",
      text: edit(MINIMAL_PLAN, "    name: Comms\n", "    name: Comms\n    lead: true\n"),
      path: "roles.1.lead",
      line: 22,
      col: 11,
    },
    {
      name: "no lead role",
      text: edit(MINIMAL_PLAN, "    lead: true\n", ""),
      path: "roles",
      line: 16,
      col: 1,
    },
    {
      name: "missing severity for a declare action",
      text: edit(MINIMAL_PLAN, "      severity: sev1\n", ""),
      path: "definition.criteria.0.severity",
      line: 5,
      col: 7,
      hint: /add `severity: sev1`/,
    },
    {
      name: "declare action without a match rule",
      text: edit(MINIMAL_PLAN, "      match:\n        severity: [critical]\n", ""),
      path: "definition.criteria.0.match",
      line: 5,
      col: 7,
    },
    {
      name: "criterion naming an unknown severity",
      text: edit(MINIMAL_PLAN, "severity: sev1", "severity: sev9"),
      path: "definition.criteria.0.severity",
      line: 10,
      col: 17,
      hint: /use one of: sev1/,
    },
    {
      name: "channel naming an unknown severity",
      text: edit(
        MINIMAL_PLAN,
        "      audience: internal\n",
        "      audience: internal\n      severities: [sev2]\n",
      ),
      path: "channels.0.when.severities.0",
      line: 28,
      col: 20,
    },
    {
      name: "a review rule naming an unknown severity",
      text: `${MINIMAL_PLAN}review:\n  required_for: [sev1, sev9]\n`,
      path: "review.required_for.1",
      line: 38,
      col: 24,
      hint: /use one of: sev1/,
    },
    {
      name: "review invites through a channel that is not email",
      text: `${MINIMAL_PLAN}review:\n  required_for: [sev1]\n  channel: slack\n`,
      path: "review.channel",
      line: 39,
      col: 12,
      hint: /add an email channel first/,
    },
    {
      name: "two action item priorities with one id",
      text: `${MINIMAL_PLAN}action_items:\n  priorities:\n    - { id: p1, name: Now, due_in: 4w }\n    - { id: p1, name: Later }\n`,
      path: "action_items.priorities.1.id",
      line: 40,
      col: 13,
      hint: /its own id/,
    },
    {
      name: "a list instead of the whole plan",
      text: "- just\n- a list\n",
      path: "(root)",
      line: 1,
      col: 1,
    },
  ];

  it.each(broken)("rejects: $name", ({ text, path, line, col, hint }) => {
    const errors = errorsOf(text);
    expect(errors).toContainEqual(expect.objectContaining({ path, line, col }));
    const error = errors.find((e) => e.path === path);
    if (hint) expect(error?.hint).toMatch(hint);
    for (const e of errors) expect(e.hint, `${e.path} has no hint`).toBeTruthy();
  });

  it("never echoes an inline secret back", () => {
    const text = edit(MINIMAL_PLAN, "{ env: SLACK_WEBHOOK_URL }", "s3cr3t-value-123");
    expect(JSON.stringify(errorsOf(text))).not.toContain("s3cr3t-value-123");
    const wrongType = edit(MINIMAL_PLAN, "{ env: SLACK_WEBHOOK_URL }", "{ token: s3cr3t-value-123 }");
    expect(JSON.stringify(errorsOf(wrongType))).not.toContain("s3cr3t-value-123");
  });

  it("reports a malformed placeholder as an unknown variable", () => {
    const text = edit(MINIMAL_PLAN, "{{ incident.title }}", "{{ incident title }}");
    expect(errorsOf(text)).toContainEqual(
      expect.objectContaining({
        path: "templates.investigating",
        message: 'unknown template variable "incident title"',
      }),
    );
  });

  it("lists errors in file order", () => {
    const text = edit(
      edit(MINIMAL_PLAN, "update_every: 20m", "update_every: 20"),
      "name: Tiny Co",
      "name: 3",
    );
    const lines = errorsOf(text).map((e) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines.length).toBe(2);
  });
});

describe("formatPlanErrors", () => {
  it("prints file:line:col: path: message (hint), one line each", () => {
    const errors: PlanError[] = [
      { path: "roles.1.lead", message: "only one role can lead", hint: "remove it", line: 22, col: 11 },
      { path: "(root)", message: "no hint here", line: 1, col: 1 },
    ];
    expect(formatPlanErrors(errors, "runsheet.yaml")).toBe(
      "runsheet.yaml:22:11: roles.1.lead: only one role can lead (remove it)\nrunsheet.yaml:1:1: (root): no hint here",
    );
  });
});

describe("loadPlanFile", () => {
  it("reports a missing file at 1:1", async () => {
    const file = join(tmpdir(), "runsheet-does-not-exist", "runsheet.yaml");
    const result = await loadPlanFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 1, col: 1, message: `file not found: ${file}` }),
    ]);
  });

  it("reads and validates a file, ignoring a byte order mark", async () => {
    const dir = await mkdtemp(join(tmpdir(), "runsheet-plan-"));
    const file = join(dir, "runsheet.yaml");
    await writeFile(file, `\uFEFF${MINIMAL_PLAN}`);
    const result = await loadPlanFile(file);
    expect(result).toMatchObject({ ok: true, file });
  });
});
