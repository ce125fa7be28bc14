import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { LOG_REDACT, redactUrl } from "./app.ts";

function logged(entry: object): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  pino({ redact: LOG_REDACT }, sink).info(entry, "incoming request");
  return JSON.parse(lines[0] ?? "{}");
}

describe("log redaction", () => {
  it("hides integration keys, tokens and signatures in URLs and keeps the rest", () => {
    expect(redactUrl("/api/v1/integrations/rk_abc123/alertmanager")).toBe(
      "/api/v1/integrations/[key]/alertmanager",
    );
    expect(redactUrl("/api/v1/schedules/mim-rota.ics?token=s3cret&x=1")).toBe(
      "/api/v1/schedules/mim-rota.ics?token=[redacted]&x=1",
    );
    expect(redactUrl("/ack/p1?exp=1800000000&sig=abc_DEF-123")).toBe("/ack/p1?exp=1800000000&sig=[redacted]");
    expect(redactUrl("/subscribe/confirm?token=t0k")).toBe("/subscribe/confirm?token=[redacted]");
    expect(redactUrl("/api/v1/incidents/INC-4")).toBe("/api/v1/incidents/INC-4");
  });

  it("applies to what the server logs: headers replaced, URLs scrubbed", () => {
    const line = logged({
      req: {
        method: "POST",
        url: "/api/v1/integrations/rk_live_key/grafana",
        headers: { authorization: "Bearer rs_secret", cookie: "runsheet_session=abc" },
      },
    });
    const req = line.req as { url: string; headers: Record<string, string> };
    expect(req.url).toBe("/api/v1/integrations/[key]/grafana");
    expect(req.headers.authorization).toBe("[Redacted]");
    expect(req.headers.cookie).toBe("[Redacted]");
    expect(JSON.stringify(line)).not.toContain("rk_live_key");
  });
});
