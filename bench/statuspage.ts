/**
 * npm run bench:statuspage: the public status page under an outage's crowd.
 * A real `runsheet serve` (SQLite) with 20 components, 2 active and 50 past
 * incidents, and nginx serving the same bytes (the static export, with
 * precompressed .gz files) on the same machine; wrk drives each with 256
 * connections against / and /api/v2/summary.json, asking for gzip as browsers
 * and clients do. Reports requests per second, p50 and p99, and the ratio to
 * nginx. Also measures how long a published update takes to appear.
 * Results: bench/results/statuspage.json.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { freePort, startServerProcess, tempDir } from "../test/support/fanout.ts";
import { seedStatusPage, writeStatusPagePlan } from "./support/statuspage-seed.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PATHS = ["/", "/api/v2/summary.json"];

interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!match) throw new Error(`cannot read wrk latency "${value}"`);
  const n = Number(match[1]);
  return match[2] === "us" ? n / 1000 : match[2] === "ms" ? n : match[2] === "s" ? n * 1000 : n * 60_000;
}

function wrk(url: string, seconds: number): WrkResult {
  const out = execFileSync(
    "wrk",
    ["-t2", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", "-H", "Accept-Encoding: gzip", url],
    { encoding: "utf8" },
  );
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  const p50 = /^\s+50%\s+(\S+)/m.exec(out)?.[1];
  const p99 = /^\s+99%\s+(\S+)/m.exec(out)?.[1];
  const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? "";
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  if (!rps || !p50 || !p99) throw new Error(`cannot read wrk output:\n${out}`);
  const socketErrors = [...errors.matchAll(/(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return {
    requestsPerSecond: Number(rps),
    p50Ms: toMs(p50),
    p99Ms: toMs(p99),
    errors: socketErrors + non2xx,
  };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

async function startNginx(root: string, dir: string): Promise<{ port: number; child: ChildProcess }> {
  // gzip_static serves the .gz beside each file, as Runsheet serves its precompressed copy.
  for (const file of files(root)) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; application/json json; image/svg+xml svg; application/rss+xml rss; application/atom+xml atom; }
  gzip_static on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { try_files $uri $uri/index.html =404; add_header Cache-Control "public, max-age=10, stale-while-revalidate=60"; }
  }
}
`,
  );
  const child = spawn("nginx", ["-c", conf, "-p", dir], { stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return { port, child };
    } catch {}
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error("nginx did not start");
}

async function startBareNode(file: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/support/bare-node.ts", String(port), file],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return { port, child };
    } catch {}
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error("the bare node server did not start");
}

async function visibleWithin(port: number, token: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const base = `http://127.0.0.1:${port}`;
  const incident = (await (
    await fetch(`${base}/api/v1/incidents`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        title: "Checkout latency",
        severity: "sev2",
        criteria: ["money-flow-down"],
        components: [{ id: "payments-1", impact: "degraded_performance" }],
      }),
    })
  ).json()) as { id: string };
  const marker = `Marker ${Date.now()}`;
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/incidents/${incident.id}/updates`, {
    method: "POST",
    headers,
    body: JSON.stringify({ phase: "investigating", body: marker, channels: ["status-page"] }),
  });
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  for (;;) {
    const page = await (await fetch(`${base}/api/v2/summary.json`)).text();
    if (page.includes(marker)) return performance.now() - t0;
    if (performance.now() - t0 > 10_000) throw new Error("the update did not appear within 10 s");
    await sleep(5);
  }
}

async function main() {
  for (const tool of ["wrk", "nginx"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`]);
    } catch {
      console.error(`${tool} is not installed: apt-get install -y wrk nginx`);
      process.exit(1);
    }
  }
  const dir = tempDir("runsheet-statuspage-");
  chmodSync(dir, 0o755); // nginx's workers run as another user

  const dataDir = path.join(dir, "data");
  const plan = writeStatusPagePlan(dir);
  const { token } = await seedStatusPage({ dataDir }, plan);
  const exportDir = path.join(dir, "export");
  execFileSync(
    process.execPath,
    ["bin/runsheet.js", "statuspage", "export", "--out", exportDir, "--data", dataDir, "--plan", plan],
    {
      stdio: "ignore",
    },
  );
  const port = await freePort();
  const server = await startServerProcess({ RUNSHEET_DATA: dataDir, RUNSHEET_PLAN: plan }, port);
  let nginx: { port: number; child: ChildProcess } | undefined;
  let bare: { port: number; child: ChildProcess } = { port: 0, child: undefined as unknown as ChildProcess };
  try {
    nginx = await startNginx(exportDir, dir);
    bare = await startBareNode(path.join(exportDir, "index.html.gz"));
    const home = await fetch(`http://127.0.0.1:${port}/`, { headers: { "accept-encoding": "identity" } });
    const homeBytes = (await home.arrayBuffer()).byteLength;
    const results: Record<string, unknown>[] = [];
    for (const p of PATHS) {
      const targets: Record<string, string> = {
        runsheet: `http://127.0.0.1:${port}${p}`,
        nginx: `http://127.0.0.1:${nginx.port}${p}`,
      };
      if (p === "/") targets.bareNode = `http://127.0.0.1:${bare.port}/`;
      const row: Record<string, unknown> = { path: p };
      for (const [name, url] of Object.entries(targets)) {
        wrk(url, 3); // warm up
        row[name] = wrk(url, SECONDS);
      }
      const r = row.runsheet as WrkResult;
      const n = row.nginx as WrkResult;
      row.ratioToNginx = Math.round((r.requestsPerSecond / n.requestsPerSecond) * 100) / 100;
      results.push(row);
      const b = row.bareNode as WrkResult | undefined;
      if (b)
        console.log(
          `${p.padEnd(22)} bare node:http ${b.requestsPerSecond.toFixed(0)} req/s p50 ${b.p50Ms} ms p99 ${b.p99Ms} ms`,
        );
      console.log(
        `${p.padEnd(22)} runsheet ${r.requestsPerSecond.toFixed(0)} req/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms | nginx ${n.requestsPerSecond.toFixed(0)} req/s p50 ${n.p50Ms} ms p99 ${n.p99Ms} ms | ratio ${row.ratioToNginx}`,
      );
    }
    const visible: number[] = [];
    for (let i = 0; i < 5; i++) visible.push(await visibleWithin(port, token));
    console.log(`published update visible in ${visible.map((v) => v.toFixed(0)).join(", ")} ms`);
    const out = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version },
      connections: CONNECTIONS,
      seconds: SECONDS,
      page: { components: 20, activeIncidents: 2, pastIncidents: 50, homeHtmlBytes: homeBytes },
      results,
      updateVisibleMs: visible.map((v) => Math.round(v)),
    };
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/statuspage.json", `${JSON.stringify(out, null, 2)}\n`);
  } finally {
    server.kill("SIGTERM");
    nginx?.child.kill("SIGTERM");
    bare.child?.kill("SIGTERM");
  }
}

await main();
