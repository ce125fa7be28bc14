import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useMemo, useState } from "react";
import { api, call } from "../../api/client";
import { planOf } from "../../api/plan";
import { usePlanDocument } from "../../api/queries";
import type { components } from "../../api/schema";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { percent, type Section, seconds, sectionOf, type TrendPoint } from "./format";
import { TrendChart } from "./trend-chart";
import "./values.css";

type Report = components["schemas"]["ValuesReport"];
type Distribution = components["schemas"]["Distribution"];

const RANGES = [30, 90, 365] as const;
const DAY_MS = 86_400_000;

/** The sheet's own statements, for a plan that does not state its values. */
const DEFAULT_VALUES: Array<{ name: string; statement: string }> = [
  { name: "Detect", statement: "We know there is a problem before our customers do." },
  { name: "Respond", statement: "Escalate, escalate, escalate (and communicate with customers)." },
  { name: "Recover", statement: "Clean it up quickly." },
  { name: "Learn", statement: "Always blameless." },
  { name: "Improve", statement: "Never have the same incident twice." },
];

/** /app/values: the plan's values, each with its numbers over a range and a weekly trend. */
export default function ValuesScreen() {
  useTitle("Values");
  const planDoc = usePlanDocument();
  const [days, setDays] = useState<(typeof RANGES)[number]>(90);
  const [severity, setSeverity] = useState("");
  // The range ends at the minute after the screen opened, so changing a filter does not move it.
  const [openedAt] = useState(() => (Math.floor(Date.now() / 60_000) + 1) * 60_000);
  const query = useMemo(
    () => ({
      from: new Date(openedAt - days * DAY_MS).toISOString(),
      to: new Date(openedAt).toISOString(),
      ...(severity ? { severity } : {}),
    }),
    [openedAt, days, severity],
  );
  const report = useQuery({
    queryKey: ["values", query],
    queryFn: () => call("Could not measure the values", api.GET("/api/v1/values", { params: { query } })),
  });
  const plan = planDoc.data ? planOf(planDoc.data) : undefined;
  const values = plan && plan.values.length > 0 ? plan.values : DEFAULT_VALUES;
  const csv = `/api/v1/values.csv?${new URLSearchParams(query).toString()}`;

  return (
    <>
      <h1>Values</h1>
      <p className="muted">
        The plan's north star, measured over incidents declared in the range (drills left out). How each
        number is worked out: docs/VALUES.md.
      </p>
      <div className="values-controls">
        <fieldset className="segmented">
          <legend>Range</legend>
          {RANGES.map((d) => (
            <label key={d}>
              <input type="radio" name="range" checked={days === d} onChange={() => setDays(d)} /> {d} days
            </label>
          ))}
        </fieldset>
        <Field label="Severity">
          {(control) => (
            <select {...control} value={severity} onChange={(e) => setSeverity(e.target.value)}>
              <option value="">All severities</option>
              {(plan?.severities ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <a className="button button-small" href={csv} download>
          Download CSV
        </a>
      </div>
      {report.isPending ? (
        <Loading what="the values" />
      ) : report.error ? (
        <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <p className="small">
            {report.data.incidents} incident{report.data.incidents === 1 ? "" : "s"} from{" "}
            <time dateTime={report.data.from}>{day(report.data.from)}</time> to{" "}
            <time dateTime={report.data.to}>{day(report.data.to)}</time>.
          </p>
          <div className="values-grid">
            {values.map((value) => (
              <ValuePanel
                key={value.name}
                name={value.name}
                statement={value.statement}
                report={report.data}
              />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function day(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(iso));
}

/** A duration's median and the time nine in ten stayed within (its 90th percentile), as two rows. */
function spread(label: string, d: Distribution): Array<[string, ReactNode]> {
  return [
    [`${label}, median`, seconds(d.p50)],
    [`${label}, 9 in 10 within`, seconds(d.p90)],
  ];
}

function of(n: number, total: number): string {
  return total === 0 ? "" : ` (${n} of ${total})`;
}

interface Measured {
  figures: Array<[string, ReactNode]>;
  trend: { what: string; kind: "ratio" | "seconds"; points: TrendPoint[] };
}

function measure(section: Section, r: Report): Measured {
  const week = (value: (w: Report["weekly"][number]) => number | null) =>
    r.weekly.map((w) => ({ weekStart: w.weekStart, value: value(w) }));
  switch (section) {
    case "detect":
      return {
        figures: [
          [
            "Found by monitoring",
            `${percent(r.detect.monitoringShare)}${of(r.detect.monitoring, r.incidents)}`,
          ],
          [
            "Reported by a customer",
            `${percent(r.detect.customerShare)}${of(r.detect.customer, r.incidents)}`,
          ],
          ...spread("Time to detect", r.detect.timeToDetect),
        ],
        trend: { what: "Found by monitoring", kind: "ratio", points: week((w) => w.detect.monitoringShare) },
      };
    case "respond":
      return {
        figures: [
          ...spread("Time to acknowledge", r.respond.timeToAck),
          ["Acknowledged", `${r.respond.acknowledged} of ${r.respond.paged} paged`],
          ...spread("Time to first update", r.respond.timeToFirstUpdate),
          [
            "Updates on cadence",
            `${percent(r.respond.cadence.share)}${of(r.respond.cadence.onCadence, r.respond.cadence.updates)}`,
          ],
        ],
        trend: { what: "Time to acknowledge", kind: "seconds", points: week((w) => w.respond.ackP50) },
      };
    case "recover":
      return {
        figures: [
          ...spread("Time to mitigate", r.recover.timeToMitigate),
          ...spread("Time to resolve", r.recover.timeToResolve),
          ["Still unresolved", String(r.recover.unresolved)],
        ],
        trend: { what: "Time to resolve", kind: "seconds", points: week((w) => w.recover.resolveP50) },
      };
    case "learn":
      return {
        figures: [
          [
            "Reviews held on time",
            `${percent(r.learn.reviews.onTimeShare)}${of(r.learn.reviews.onTime, r.learn.reviews.onTime + r.learn.reviews.late)}`,
          ],
          ["Reviews still to hold", String(r.learn.reviews.pending)],
          [
            "Postmortems published",
            `${r.learn.postmortems.published}${r.learn.postmortems.share === null ? "" : ` (${percent(r.learn.postmortems.share)} of reviews)`}`,
          ],
        ],
        trend: { what: "Reviews on time", kind: "ratio", points: week((w) => w.learn.reviewOnTimeShare) },
      };
    case "improve":
      return {
        figures: [
          [
            "Action items closed on time",
            `${percent(r.improve.actions.onTimeShare)}${of(r.improve.actions.onTime, r.improve.actions.due)}`,
          ],
          ["Open past their due date", String(r.improve.actions.openPastDue)],
          [
            "Repeat incidents",
            `${r.improve.repeats.count}${r.improve.repeats.share === null ? "" : ` (${percent(r.improve.repeats.share)})`}`,
          ],
        ],
        trend: {
          what: "Action items on time",
          kind: "ratio",
          points: week((w) => w.improve.actionsOnTimeShare),
        },
      };
  }
}

function ValuePanel({ name, statement, report }: { name: string; statement: string; report: Report }) {
  const section = sectionOf(name);
  const id = `value-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const measured = section ? measure(section, report) : null;
  return (
    <section className="panel value-panel" aria-labelledby={id} data-value={section}>
      <h2 id={id}>{name}</h2>
      <p className="value-statement">{statement}</p>
      {measured ? (
        <>
          <dl className="value-figures">
            {measured.figures.map(([label, figure]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{figure}</dd>
              </div>
            ))}
          </dl>
          <TrendChart points={measured.trend.points} kind={measured.trend.kind} what={measured.trend.what} />
        </>
      ) : (
        <p className="muted small">
          Runsheet measures Detect, Respond, Recover, Learn and Improve; this value is not one of them.
        </p>
      )}
    </section>
  );
}
