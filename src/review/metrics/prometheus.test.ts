import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/errors.ts";
import { computeValues } from "./compute.ts";
import { valuesPrometheus } from "./prometheus.ts";
import { buildAction, buildIncident } from "./test-fixtures.ts";

/*
 * The text exposition format 0.0.4, line by line: `# HELP name docstring`,
 * `# TYPE name type`, other `#` lines are comments, and samples are
 * `name{label="value",…} value [timestamp]`, label values escaping only
 * backslash, double quote and line feed.
 */
const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = "(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)";
const HELP = new RegExp(`^# HELP (${NAME}) ((?:[^\\\\\\n]|\\\\[\\\\n])*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);

interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

/**
 * Parses an exposition, failing on any line the format does not allow, on
 * metadata after a metric's samples, and (our rule) on a sample without HELP and TYPE before it.
 */
function parse(text: string): Parsed {
  expect(text.endsWith("\n")).toBe(true);
  const parsed: Parsed = { help: new Map(), type: new Map(), samples: [] };
  const finished = new Set<string>();
  let current = "";
  for (const line of text.slice(0, -1).split("\n")) {
    let m = HELP.exec(line);
    if (m) {
      expect(parsed.help.has(m[1]!), `second HELP for ${m[1]}`).toBe(false);
      parsed.help.set(m[1]!, m[2]!);
      continue;
    }
    m = TYPE.exec(line);
    if (m) {
      expect(parsed.type.has(m[1]!), `second TYPE for ${m[1]}`).toBe(false);
      expect(
        parsed.samples.some((s) => s.name === m![1]),
        `TYPE after samples of ${m[1]}`,
      ).toBe(false);
      parsed.type.set(m[1]!, m[2]!);
      continue;
    }
    m = SAMPLE.exec(line);
    expect(m, `not an exposition line: ${line}`).not.toBeNull();
    const name = m![1]!;
    expect(parsed.type.has(name) && parsed.help.has(name), `no HELP and TYPE before ${name}`).toBe(true);
    if (name !== current) {
      expect(finished.has(name), `samples of ${name} are not together`).toBe(false);
      finished.add(current);
      current = name;
    }
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (m![2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    parsed.samples.push({ name, labels, value: Number(m![3]) });
  }
  return parsed;
}

const RANGE = { from: "2026-11-02T00:00:00Z", to: "2026-11-16T00:00:00Z", now: "2026-11-20T00:00:00Z" };

function busyReport() {
  const a = buildIncident({
    detectedBy: "monitoring",
    impactStartedAt: "2026-11-03T09:59:00Z",
    declaredAt: "2026-11-03T10:00:00Z",
    firstPageAt: "2026-11-03T10:00:00Z",
    firstAckAt: "2026-11-03T10:05:00Z",
    externalUpdates: [
      { at: "2026-11-03T10:04:00Z", dueAt: null },
      { at: "2026-11-03T10:30:00Z", dueAt: "2026-11-03T10:24:00Z" },
    ],
    monitoringAt: "2026-11-03T10:40:00Z",
    resolvedAt: "2026-11-03T11:00:00Z",
    review: { required: true, dueAt: "2026-11-06T00:00:00Z", heldAt: "2026-11-05T00:00:00Z" },
    postmortemPublishedAt: "2026-11-07T00:00:00Z",
  });
  const b = buildIncident({
    detectedBy: "customer",
    declaredAt: "2026-11-04T10:00:00Z",
    firstPageAt: "2026-11-04T10:00:00Z",
    firstAckAt: "2026-11-04T10:01:00Z",
    repeatOf: a.id,
  });
  const actions = [
    buildAction(a, { dueAt: "2026-11-05T00:00:00Z", closedAt: "2026-11-04T00:00:00Z" }),
    buildAction(a, { dueAt: "2026-11-06T00:00:00Z", closedAt: null }),
  ];
  return computeValues([a, b], actions, RANGE);
}

describe("the exposition reader of these tests", () => {
  it("rejects what the format does not allow", () => {
    const meta = "# HELP runsheet_x x\n# TYPE runsheet_x gauge\n";
    for (const bad of [
      `${meta}runsheet_x{a="b"c"} 1\n`, // unescaped quote
      `${meta}runsheet_x{a="b\\q"} 1\n`, // unknown escape
      `${meta}runsheet_x\n`, // no value
      `${meta}runsheet-x 1\n`, // dash in the name
      `${meta}runsheet_x{1a="b"} 1\n`, // label name starting with a digit
      `${meta}runsheet_x one\n`, // not a number
      `${meta}runsheet_x 1`, // no final line feed
      "# TYPE runsheet_x gauge\nrunsheet_x 1\n", // no HELP
      `${meta}runsheet_x 1\n# TYPE runsheet_x gauge\n`, // TYPE twice
      "# HELP a x\n# TYPE a gauge\n# HELP b x\n# TYPE b gauge\na 1\nb 1\na 2\n", // samples apart
    ]) {
      expect(() => parse(bad), bad).toThrow();
    }
    expect(parse(`${meta}runsheet_x{a="b"} 1\n`).samples).toHaveLength(1);
    expect(
      parse('# HELP a x\\\\y\n# TYPE a gauge\na{b="c\\"d\\\\e\\nf"} 1.5e+3 1700000000000\n').samples,
    ).toEqual([{ name: "a", labels: { b: 'c"d\\e\nf' }, value: 1500 }]);
  });
});

describe("valuesPrometheus", () => {
  it("writes lines of the exposition format, a HELP and a gauge TYPE before each metric's samples", () => {
    const text = valuesPrometheus(busyReport());
    const parsed = parse(text);
    const names = new Set(parsed.samples.map((s) => s.name));
    for (const name of names) {
      expect(name.startsWith("runsheet_")).toBe(true);
      expect(parsed.type.get(name)).toBe("gauge");
      expect(parsed.help.get(name)?.length).toBeGreaterThan(10);
    }
    expect([...parsed.type.keys()].sort()).toEqual([...names].sort());
  });

  it("exposes the figures with their values and quantile labels", () => {
    const lines = valuesPrometheus(busyReport()).split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "runsheet_incidents 2",
        'runsheet_detect_incidents{detected_by="monitoring"} 1',
        'runsheet_detect_incidents{detected_by="customer"} 1',
        'runsheet_detect_incidents{detected_by="employee"} 0',
        "runsheet_detect_monitoring_share 0.5",
        'runsheet_detect_seconds{quantile="0.5"} 0',
        'runsheet_detect_seconds{quantile="0.9"} 60',
        "runsheet_detect_seconds_samples 2",
        'runsheet_respond_ack_seconds{quantile="0.5"} 60',
        'runsheet_respond_ack_seconds{quantile="0.9"} 300',
        'runsheet_respond_first_update_seconds{quantile="0.5"} 240',
        "runsheet_respond_cadence_share 0",
        'runsheet_recover_mitigate_seconds{quantile="0.5"} 2400',
        'runsheet_recover_resolve_seconds{quantile="0.9"} 3600',
        "runsheet_recover_unresolved_incidents 1",
        'runsheet_learn_reviews{outcome="on_time"} 1',
        'runsheet_learn_reviews{outcome="late"} 0',
        "runsheet_learn_review_on_time_share 1",
        "runsheet_learn_postmortem_share 1",
        'runsheet_improve_actions{outcome="on_time"} 1',
        'runsheet_improve_actions{outcome="late"} 1',
        "runsheet_improve_actions_open_past_due 1",
        "runsheet_improve_actions_on_time_share 0.5",
        "runsheet_improve_repeat_incidents 1",
        "runsheet_improve_repeat_share 0.5",
      ]),
    );
  });

  it("leaves out figures with no data, and a metric with none at all", () => {
    const text = valuesPrometheus(computeValues([], [], RANGE));
    const parsed = parse(text);
    expect(text).toContain("runsheet_incidents 0\n");
    expect(text).toContain('runsheet_detect_incidents{detected_by="customer"} 0\n');
    expect(text).not.toContain("runsheet_detect_monitoring_share");
    expect(text).not.toContain("runsheet_respond_ack_seconds{");
    expect(text).not.toContain("# HELP runsheet_respond_ack_seconds ");
    expect(text).toContain("runsheet_respond_ack_seconds_samples 0\n");
    expect(parsed.samples.every((s) => Number.isFinite(s.value))).toBe(true);
  });

  it("puts the given labels on every sample, escaping their values", () => {
    const awkward = 'Ops "core"\\east\nnights';
    const text = valuesPrometheus(busyReport(), { range: "14d", team: awkward });
    expect(text).toContain('runsheet_incidents{range="14d",team="Ops \\"core\\"\\\\east\\nnights"} 2\n');
    expect(text).toContain(
      'runsheet_respond_ack_seconds{range="14d",team="Ops \\"core\\"\\\\east\\nnights",quantile="0.5"} 60\n',
    );
    const parsed = parse(text);
    expect(parsed.samples.length).toBeGreaterThan(30);
    for (const sample of parsed.samples) {
      expect(sample.labels.team).toBe(awkward);
      expect(sample.labels.range).toBe("14d");
    }
  });

  it("refuses label names the format or the figures reserve", () => {
    for (const name of ["1st", "team-name", "__name__", "quantile", "outcome", ""]) {
      expect(() => valuesPrometheus(busyReport(), { [name]: "x" }), name).toThrow(AppError);
    }
    expect(() => valuesPrometheus(busyReport(), { _team: "x", team_2: "y" })).not.toThrow();
  });
});
