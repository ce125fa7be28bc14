import { invalid } from "../../shared/errors.ts";
import { figuresOf } from "./figures.ts";
import type { ValuesReport } from "./model.ts";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the figures set themselves. */
const OWN_LABELS = new Set(["quantile", "detected_by", "outcome"]);

/**
 * The report's range figures in the Prometheus text exposition format 0.0.4:
 * for each metric a `# HELP` and a `# TYPE … gauge` line, then its samples
 * (`runsheet_respond_ack_seconds{quantile="0.5"} 42`). Every figure is a
 * gauge, quantiles included: they describe the chosen range, they are not
 * cumulative like a summary's. Figures with no data are left out (a metric
 * with none at all loses its HELP and TYPE too). `labels` (e.g. the range or
 * team) go on every sample; their values are escaped (`\\`, `\"`, `\n`). The
 * weekly series is not exposed: Prometheus draws trends from its own scrapes.
 */
export function valuesPrometheus(report: ValuesReport, labels: Record<string, string> = {}): string {
  const common = Object.entries(labels);
  for (const [name] of common) {
    if (!LABEL_NAME.test(name) || name.startsWith("__") || OWN_LABELS.has(name)) {
      throw invalid("Not a usable Prometheus label name.", [
        { path: `labels.${name}`, message: `"${name}" is not a label name the metrics can carry.` },
      ]);
    }
  }

  const metrics = new Map<string, { help: string; samples: string[] }>();
  for (const f of figuresOf(report)) {
    const name = `runsheet_${f.metric}`;
    let metric = metrics.get(name);
    if (!metric) {
      metric = { help: f.help, samples: [] };
      metrics.set(name, metric);
    }
    if (f.number === null) continue;
    const pairs = [...common, ...Object.entries(f.labels)].map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    metric.samples.push(`${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${f.number}`);
  }

  let out = "";
  for (const [name, metric] of metrics) {
    if (metric.samples.length === 0) continue;
    out += `# HELP ${name} ${escapeHelp(metric.help)}\n# TYPE ${name} gauge\n${metric.samples.join("\n")}\n`;
  }
  return out;
}

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function escapeHelp(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
