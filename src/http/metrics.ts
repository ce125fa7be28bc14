import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Runsheet's own metrics for /metrics, in the Prometheus text exposition
 * format 0.0.4, written by hand (no client library): HTTP requests counted and
 * timed by method, route pattern and status, and the process's CPU, memory,
 * uptime and event-loop delay. Routes are their patterns
 * (`/api/v1/incidents/:id`), never raw URLs, so the number of series stays
 * bounded whatever clients ask for; requests that matched no route are
 * counted under `route="unmatched"`. The public status page is answered
 * before the app sees a request (src/http/app.ts) and is not counted here.
 */

/** Seconds; Prometheus' default buckets. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Series {
  labels: string;
  count: number;
}

interface Histogram {
  labels: string;
  buckets: number[];
  sum: number;
  count: number;
}

export class HttpMetrics {
  readonly #requests = new Map<string, Series>();
  readonly #durations = new Map<string, Histogram>();
  readonly #loop: IntervalHistogram;

  constructor() {
    this.#loop = monitorEventLoopDelay({ resolution: 20 });
    this.#loop.enable();
  }

  /** One answered request. */
  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const pattern = route ?? "unmatched";
    const withStatus = labels({ method, route: pattern, status: String(status) });
    const series = this.#requests.get(withStatus);
    if (series) series.count += 1;
    else this.#requests.set(withStatus, { labels: withStatus, count: 1 });

    const key = labels({ method, route: pattern });
    let histogram = this.#durations.get(key);
    if (!histogram) {
      histogram = { labels: key, buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#durations.set(key, histogram);
    }
    for (let i = 0; i < DURATION_BUCKETS.length; i++) {
      if (seconds <= DURATION_BUCKETS[i]!) histogram.buckets[i]! += 1;
    }
    histogram.sum += seconds;
    histogram.count += 1;
  }

  stop(): void {
    this.#loop.disable();
  }

  /** The HTTP and process metrics as exposition text. */
  render(): string {
    const out: string[] = [];
    const metric = (name: string, type: "counter" | "gauge" | "histogram", help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    metric("http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status.");
    for (const s of this.#requests.values()) out.push(`http_requests_total{${s.labels}} ${s.count}`);

    metric(
      "http_request_duration_seconds",
      "histogram",
      "Time from receiving a request to answering it, by method and route pattern.",
    );
    for (const h of this.#durations.values()) {
      DURATION_BUCKETS.forEach((le, i) => {
        out.push(`http_request_duration_seconds_bucket{${h.labels},le="${le}"} ${h.buckets[i]}`);
      });
      out.push(`http_request_duration_seconds_bucket{${h.labels},le="+Inf"} ${h.count}`);
      out.push(`http_request_duration_seconds_sum{${h.labels}} ${h.sum}`);
      out.push(`http_request_duration_seconds_count{${h.labels}} ${h.count}`);
    }

    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    metric("process_cpu_user_seconds_total", "counter", "User CPU time spent, in seconds.");
    out.push(`process_cpu_user_seconds_total ${cpu.user / 1e6}`);
    metric("process_cpu_system_seconds_total", "counter", "System CPU time spent, in seconds.");
    out.push(`process_cpu_system_seconds_total ${cpu.system / 1e6}`);
    metric("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.");
    out.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
    metric("process_resident_memory_bytes", "gauge", "Resident memory size, in bytes.");
    out.push(`process_resident_memory_bytes ${memory.rss}`);
    metric("nodejs_heap_size_total_bytes", "gauge", "V8 heap size, in bytes.");
    out.push(`nodejs_heap_size_total_bytes ${memory.heapTotal}`);
    metric("nodejs_heap_size_used_bytes", "gauge", "V8 heap used, in bytes.");
    out.push(`nodejs_heap_size_used_bytes ${memory.heapUsed}`);
    metric(
      "process_start_time_seconds",
      "gauge",
      "When the process started, in seconds since the Unix epoch.",
    );
    out.push(`process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`);
    metric("process_uptime_seconds", "gauge", "How long the process has run, in seconds.");
    out.push(`process_uptime_seconds ${process.uptime()}`);

    // The event loop's delay since the app started (perf_hooks, sampled every 20 ms).
    const lag = this.#loop;
    // Before its first sample the histogram's min is a huge sentinel: report 0 instead.
    const seconds = (ns: number) => (lag.count > 0 && Number.isFinite(ns) ? ns / 1e9 : 0);
    const loop: Array<[string, string, number]> = [
      ["nodejs_eventloop_lag_min_seconds", "The smallest event loop delay seen.", lag.min],
      ["nodejs_eventloop_lag_max_seconds", "The largest event loop delay seen.", lag.max],
      ["nodejs_eventloop_lag_mean_seconds", "The mean event loop delay.", lag.mean],
      ["nodejs_eventloop_lag_p50_seconds", "The median event loop delay.", lag.percentile(50)],
      ["nodejs_eventloop_lag_p90_seconds", "The 90th percentile event loop delay.", lag.percentile(90)],
      ["nodejs_eventloop_lag_p99_seconds", "The 99th percentile event loop delay.", lag.percentile(99)],
    ];
    for (const [name, help, ns] of loop) {
      metric(name, "gauge", `${help} In seconds, since the app started.`);
      out.push(`${name} ${seconds(ns)}`);
    }
    return `${out.join("\n")}\n`;
  }
}

function labels(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`)
    .join(",");
}
