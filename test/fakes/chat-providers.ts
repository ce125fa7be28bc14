import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "../../src/comms/standard-webhooks.ts";
import {
  discordProblem,
  googleChatProblem,
  isObject,
  type Json,
  mattermostProblem,
  slackProblem,
  teamsProblem,
} from "./chat-provider-rules.ts";

/**
 * One local HTTP server that plays Slack, Microsoft Teams, Discord, Mattermost,
 * Google Chat and a Standard Webhooks receiver, each at a path shaped like the
 * real one. It checks requests the way the providers document them (method,
 * content type, body shape, limits) and answers the way they do, so adapters are
 * tested against behaviour rather than against mocks of themselves.
 *
 *   /slack/services/T000/B000/XXXX            → 200 "ok" | 400 invalid_blocks, no_text…
 *   /teams/workflows/<id>                     → 202 | 400 | 413
 *   /discord/api/webhooks/<id>/<token>        → 200 message (?wait=true) | 204 | 400 | 429
 *   /mattermost/hooks/<id>                    → 200 "ok" | 400
 *   /googlechat/v1/spaces/<space>/messages?key=…&token=…  → 200 message | 400 | 403
 *   /webhook/<anything>                       → 200 when the signature verifies | 401
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** A canned answer; without a body the fake writes what that provider writes for the status. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeChat {
  url: string;
  requests: RecordedRequest[];
  /** `webhook-id` of every webhook that verified, duplicates included (receivers dedupe on it). */
  webhookIds: string[];
  /** The next requests to `path` get these answers, in order, instead of the provider's. */
  behave(path: string, answers: Answer[]): void;
  close(): Promise<void>;
}

export interface FakeChatOptions {
  /** Secrets the webhook receiver verifies against. */
  webhookSecrets?: string[];
  now?: () => Date;
}

type Provider = "slack" | "teams" | "discord" | "mattermost" | "googlechat" | "webhook";

const ROUTES: Array<[RegExp, Provider]> = [
  [/^\/slack\/services\/[^/]+\/[^/]+\/[^/]+$/, "slack"],
  [/^\/teams\/workflows\/.+$/, "teams"],
  [/^\/discord\/api\/webhooks\/\d+\/[^/]+$/, "discord"],
  [/^\/mattermost\/hooks\/[^/]+$/, "mattermost"],
  [/^\/googlechat\/v1\/spaces\/[^/]+\/messages$/, "googlechat"],
  [/^\/webhook\/.+$/, "webhook"],
];

const REPLY_OPTIONS = [
  "MESSAGE_REPLY_OPTION_UNSPECIFIED",
  "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD",
  "REPLY_MESSAGE_OR_FAIL",
];
/** Discord allows 5 requests per 2 seconds per webhook. */
const DISCORD_BUCKET = { limit: 5, windowMs: 2_000 };

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Json;
}

export async function startFakeChat(options: FakeChatOptions = {}): Promise<FakeChat> {
  const now = options.now ?? (() => new Date());
  const requests: RecordedRequest[] = [];
  const webhookIds: string[] = [];
  const canned = new Map<string, Answer[]>();
  const discordSent = new Map<string, number[]>();
  const chatThreads = new Map<string, string>();
  let counter = 0;

  function discordHeaders(path: string): Record<string, string> {
    const recent = (discordSent.get(path) ?? []).filter((t) => now().getTime() - t < DISCORD_BUCKET.windowMs);
    const resetAfter = recent.length ? (DISCORD_BUCKET.windowMs - (now().getTime() - recent[0]!)) / 1000 : 0;
    return {
      "x-ratelimit-limit": String(DISCORD_BUCKET.limit),
      "x-ratelimit-remaining": String(Math.max(0, DISCORD_BUCKET.limit - recent.length)),
      "x-ratelimit-reset": String(now().getTime() / 1000 + resetAfter),
      "x-ratelimit-reset-after": resetAfter.toFixed(3),
      "x-ratelimit-bucket": "c2c3b8a1f0e2d4a6",
    };
  }

  /** A canned answer as the provider would send it: its headers, and its error body when the test gives none. */
  function cannedReply(provider: Provider, path: string, answer: Answer): Reply {
    const retryAfter = Number(answer.headers?.["retry-after"] ?? 1);
    const headers = { ...(provider === "discord" ? discordHeaders(path) : {}), ...answer.headers };
    if (answer.status < 400) return { status: answer.status, headers, body: answer.body ?? "" };
    if (provider === "discord" && answer.status === 429) {
      headers["x-ratelimit-remaining"] = "0";
      return {
        status: 429,
        headers,
        body: { message: "You are being rate limited.", retry_after: retryAfter, global: false },
      };
    }
    const bodies: Record<Provider, string | Json> = {
      slack:
        answer.status === 410
          ? "channel_is_archived"
          : answer.status === 429
            ? "rate_limited"
            : "internal_error",
      teams: {
        error: {
          code: answer.status === 429 ? "Throttled" : "ServiceError",
          message: `status ${answer.status}`,
        },
      },
      discord: { message: answer.status === 404 ? "Unknown Webhook" : "Internal Server Error", code: 0 },
      mattermost: { id: "api.context.error", message: `status ${answer.status}`, status_code: answer.status },
      googlechat: {
        error: { code: answer.status, message: `status ${answer.status}`, status: "UNAVAILABLE" },
      },
      webhook: "",
    };
    return { status: answer.status, headers, body: answer.body ?? bodies[provider] };
  }

  function handle(provider: Provider, req: RecordedRequest): Reply {
    const json = req.json;
    const isJson = /^application\/json\b/i.test(req.headers["content-type"] ?? "");
    if (req.method !== "POST") return { status: 405, body: "method not allowed" };
    switch (provider) {
      case "slack": {
        const problem = isJson && json !== undefined ? slackProblem(json) : "invalid_payload";
        return problem
          ? { status: 400, body: problem }
          : { status: 200, headers: { "content-type": "text/html" }, body: "ok" };
      }
      case "teams": {
        const problem = isJson
          ? teamsProblem(json, Buffer.byteLength(req.body))
          : { status: 415, message: "use application/json" };
        return problem
          ? { status: problem.status, body: { error: { code: "BadRequest", message: problem.message } } }
          : { status: 202 };
      }
      case "discord": {
        const sent = [...(discordSent.get(req.path) ?? []), now().getTime()].filter(
          (t) => now().getTime() - t < DISCORD_BUCKET.windowMs,
        );
        discordSent.set(req.path, sent);
        if (sent.length > DISCORD_BUCKET.limit) {
          const wait = (DISCORD_BUCKET.windowMs - (now().getTime() - sent[0]!)) / 1000;
          return cannedReply("discord", req.path, {
            status: 429,
            headers: { "retry-after": String(Math.ceil(wait)) },
          });
        }
        const headers = discordHeaders(req.path);
        const problem = isJson
          ? discordProblem(json)
          : { code: 50006, message: "Cannot send an empty message" };
        if (problem) return { status: 400, headers, body: problem };
        if (req.query.wait !== "true") return { status: 204, headers };
        const message = isObject(json) ? json : {};
        const webhookId = req.path.split("/")[4]!;
        counter += 1;
        return {
          status: 200,
          headers,
          body: {
            id: String(1_200_000_000_000_000_000n + BigInt(counter)),
            type: 0,
            channel_id: "1100000000000000001",
            webhook_id: webhookId,
            author: { id: webhookId, username: message.username ?? "Runsheet", bot: true },
            content: message.content ?? "",
            embeds: message.embeds ?? [],
            timestamp: now().toISOString(),
          },
        };
      }
      case "mattermost": {
        const problem = isJson ? mattermostProblem(json) : "Unable to parse incoming data";
        return problem
          ? {
              status: 400,
              body: { id: "web.incoming_webhook.text.app_error", message: problem, status_code: 400 },
            }
          : { status: 200, headers: { "content-type": "text/plain" }, body: "ok" };
      }
      case "googlechat":
        return googleChat(req, isJson);
      case "webhook": {
        const h = (name: string) => req.headers[name] as string | undefined;
        const verified = verifyWebhook({
          id: h("webhook-id"),
          timestamp: h("webhook-timestamp"),
          signature: h("webhook-signature"),
          body: req.body,
          secrets: options.webhookSecrets ?? [],
          now: now(),
        });
        if (!verified) return { status: 401, body: { error: "signature does not verify" } };
        webhookIds.push(h("webhook-id")!);
        return { status: 200, body: "" };
      }
    }
  }

  function googleChat(req: RecordedRequest, isJson: boolean): Reply {
    const error = (code: number, status: string, message: string): Reply => ({
      status: code,
      body: { error: { code, message, status } },
    });
    if (!req.query.key || !req.query.token)
      return error(403, "PERMISSION_DENIED", "The webhook's key and token are required");
    const option = req.query.messageReplyOption ?? "MESSAGE_REPLY_OPTION_UNSPECIFIED";
    if (!REPLY_OPTIONS.includes(option))
      return error(400, "INVALID_ARGUMENT", `Invalid value for messageReplyOption: ${option}`);
    const problem = isJson
      ? googleChatProblem(req.json, Buffer.byteLength(req.body))
      : "Invalid JSON payload received";
    if (problem) return error(400, "INVALID_ARGUMENT", problem);
    const message = req.json as Json;
    const space = req.path.split("/")[4]!;
    const threadKey = isObject(message.thread) ? message.thread.threadKey : undefined;
    // Without a reply option Chat ignores the key and starts a new thread every time.
    const threaded = typeof threadKey === "string" && option !== "MESSAGE_REPLY_OPTION_UNSPECIFIED";
    const key = `${space}/${threaded ? threadKey : randomUUID()}`;
    const thread = chatThreads.get(key) ?? `spaces/${space}/threads/${randomUUID().slice(0, 11)}`;
    chatThreads.set(key, thread);
    return {
      status: 200,
      headers: { "content-type": "application/json; charset=UTF-8" },
      body: {
        name: `spaces/${space}/messages/${randomUUID().slice(0, 11)}.${randomUUID().slice(0, 11)}`,
        sender: { name: "users/114022495153014004089", displayName: "Runsheet", type: "BOT" },
        text: message.text,
        thread: { name: thread, ...(threaded ? { threadKey } : {}) },
        space: { name: `spaces/${space}`, type: "ROOM" },
        createTime: now().toISOString(),
      },
    };
  }

  function send(res: ServerResponse, reply: Reply): void {
    const body =
      reply.body === undefined
        ? ""
        : typeof reply.body === "string"
          ? reply.body
          : JSON.stringify(reply.body);
    const type = typeof reply.body === "object" ? "application/json" : "text/plain; charset=utf-8";
    res.writeHead(reply.status, { "content-type": type, ...reply.headers });
    res.end(reply.status === 204 || reply.status === 202 ? undefined : body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        json,
      };
      requests.push(recorded);
      const provider = ROUTES.find(([pattern]) => pattern.test(url.pathname))?.[1];
      if (!provider) return send(res, { status: 404, body: "not found" });
      const answer = canned.get(url.pathname)?.shift();
      send(res, answer ? cannedReply(provider, url.pathname, answer) : handle(provider, recorded));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    webhookIds,
    behave(path, answers) {
      canned.set(path, [...(canned.get(path) ?? []), ...answers]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
