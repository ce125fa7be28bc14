import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local ntfy server for publishing: `POST /<topic>` with the message as the
 * body and Title, Priority, Tags, Click and Actions headers, answered as ntfy
 * answers (200 and the message as JSON). It checks the topic's form, the
 * priority's values and the action header's short format, decodes RFC 2047
 * encoded headers as ntfy does, and records what it published.
 */

export interface NtfyAction {
  action: string;
  label: string;
  url: string;
  params: Record<string, string>;
}

export interface NtfyMessage {
  id: string;
  topic: string;
  message: string;
  title: string | null;
  priority: number;
  tags: string[];
  click: string | null;
  actions: NtfyAction[];
  headers: IncomingHttpHeaders;
}

export interface FakeNtfy {
  url: string;
  messages: NtfyMessage[];
  close(): Promise<void>;
}

const PRIORITIES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };

function decode(value: string | undefined): string | null {
  if (value === undefined) return null;
  const encoded = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(value);
  return encoded ? Buffer.from(encoded[1]!, "base64").toString("utf8") : value;
}

/** "http, Label, url, method=POST, clear=true; view, Label, url" */
function parseActions(header: string | undefined): NtfyAction[] | string {
  if (!header) return [];
  const actions: NtfyAction[] = [];
  for (const part of header.split(";")) {
    const fields = part.split(",").map((f) => f.trim());
    const [action, label, url, ...rest] = fields;
    if (!action || !["view", "http", "broadcast"].includes(action)) return `unknown action "${action}"`;
    if (!label) return "an action needs a label";
    if (action !== "broadcast" && !/^https?:\/\//.test(url ?? "")) return `invalid url "${url}"`;
    const params: Record<string, string> = {};
    for (const field of rest) {
      const [key, ...value] = field.split("=");
      if (!key || value.length === 0) return `invalid action field "${field}"`;
      params[key] = value.join("=");
    }
    actions.push({ action, label, url: url ?? "", params });
  }
  return actions.length > 3 ? "too many actions (at most 3)" : actions;
}

export async function startFakeNtfy(): Promise<FakeNtfy> {
  const messages: NtfyMessage[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const fail = (status: number, error: string) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: status * 100 + 1, http: status, error }));
      };
      const topic = (req.url ?? "/").split("?")[0]!.slice(1);
      if (req.method !== "POST" && req.method !== "PUT") return fail(405, "method not allowed");
      if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) return fail(404, "page not found");
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const priorityText = header("priority") ?? "default";
      const priority = PRIORITIES[priorityText] ?? Number(priorityText);
      if (!(priority >= 1 && priority <= 5)) return fail(400, "invalid priority");
      const actions = parseActions(decode(header("actions")) ?? undefined);
      if (typeof actions === "string") return fail(400, `invalid request: actions invalid: ${actions}`);
      const message: NtfyMessage = {
        id: randomBytes(6).toString("base64url"),
        topic,
        message: Buffer.concat(chunks).toString("utf8"),
        title: decode(header("title")),
        priority,
        tags: (decode(header("tags")) ?? "").split(",").filter(Boolean),
        click: decode(header("click")),
        actions,
        headers: req.headers,
      };
      messages.push(message);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: message.id,
          time: Math.floor(Date.now() / 1000),
          expires: Math.floor(Date.now() / 1000) + 43_200,
          event: "message",
          topic,
          message: message.message,
          ...(message.title ? { title: message.title } : {}),
          priority,
          tags: message.tags,
          ...(message.click ? { click: message.click } : {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
