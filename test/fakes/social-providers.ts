import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { z } from "zod";
import type { AdapterContext, MessageFacts } from "../../src/comms/adapters/types.ts";
import { graphemeCount, mastodonLength, utf8Length, xWeightedLength } from "../../src/comms/measure.ts";
import { hmacSha1Signature, parseOAuth1Authorization, signatureBaseString } from "../../src/comms/oauth1.ts";

/**
 * Local stand-ins for Mastodon, Bluesky and X: each checks a request as the
 * provider documents it (method, path, auth, content type, body shape, limits)
 * and answers as the provider does, errors and rate limits included. Every
 * request is recorded; `failNext` makes the next requests fail on purpose.
 * The service desks (test/fakes/service-desks.ts) share the scaffolding.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Fake {
  url: string;
  requests: RecordedRequest[];
  /** Answers the next `count` requests with this status, headers and body, without acting on them. */
  failNext(count: number, status: number, headers?: Record<string, string>, body?: unknown): void;
  close(): Promise<void>;
}

export async function startFake(route: (request: RecordedRequest) => FakeAnswer): Promise<Fake> {
  const requests: RecordedRequest[] = [];
  const failures: Array<FakeAnswer & { remaining: number }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        json: parseJson(body),
      };
      requests.push(request);
      const failure = failures[0];
      if (failure) {
        failure.remaining -= 1;
        if (failure.remaining === 0) failures.shift();
      }
      const answer = failure ?? route(request);
      res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, status, headers = {}, body = { error: "failing on purpose" }) {
      failures.push({ remaining: count, status, headers, body });
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

export function isJson(request: RecordedRequest): boolean {
  return /^application\/json(;|$)/.test(request.headers["content-type"] ?? "");
}

/** The context adapters get in production, with the plain fetch and a fixed clock. */
export function adapterContext(now = new Date("2025-03-01T12:00:00Z")): AdapterContext {
  return { fetch: (url, init) => fetch(url, init), now: () => now };
}

// ——— Mastodon ———

export interface FakeMastodon extends Fake {
  accessToken: string;
  maxCharacters: number;
  statuses: Array<{ id: string; status: string; visibility: string; in_reply_to_id: string | null }>;
}

const StatusParams = z.strictObject({
  status: z.string(),
  visibility: z.enum(["public", "unlisted", "private", "direct"]).optional(),
  in_reply_to_id: z.string().optional(),
});

export async function startFakeMastodon(options: { maxCharacters?: number } = {}): Promise<FakeMastodon> {
  const accessToken = "mastodon-token";
  const maxCharacters = options.maxCharacters ?? 500;
  const statuses: FakeMastodon["statuses"] = [];
  const byIdempotencyKey = new Map<string, FakeAnswer>();
  const fake = await startFake((request) => {
    if (request.method === "GET" && request.path === "/api/v2/instance") {
      return {
        status: 200,
        body: {
          domain: "social.example.com",
          configuration: { statuses: { max_characters: maxCharacters, characters_reserved_per_url: 23 } },
        },
      };
    }
    if (request.method !== "POST" || request.path !== "/api/v1/statuses") {
      return { status: 404, body: { error: "Record not found" } };
    }
    if (request.headers.authorization !== `Bearer ${accessToken}`) {
      return { status: 401, body: { error: "The access token is invalid" } };
    }
    const key = request.headers["idempotency-key"];
    const earlier = typeof key === "string" ? byIdempotencyKey.get(key) : undefined;
    if (earlier) return earlier;
    const params = StatusParams.safeParse(isJson(request) ? request.json : undefined);
    if (!params.success)
      return { status: 422, body: { error: `Validation failed: ${params.error.message}` } };
    const { status, visibility = "public", in_reply_to_id } = params.data;
    if (!status.trim()) return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
    if (mastodonLength(status) > maxCharacters) {
      return {
        status: 422,
        body: { error: `Validation failed: Text character limit of ${maxCharacters} exceeded` },
      };
    }
    if (in_reply_to_id && !statuses.some((s) => s.id === in_reply_to_id)) {
      return { status: 404, body: { error: "Record not found" } };
    }
    const id = String(110_000_000_000_000_000n + BigInt(statuses.length + 1));
    statuses.push({ id, status, visibility, in_reply_to_id: in_reply_to_id ?? null });
    const answer = {
      status: 200,
      body: { id, url: `${fake.url}/@status/${id}`, content: `<p>${status}</p>`, visibility, in_reply_to_id },
    };
    if (typeof key === "string") byIdempotencyKey.set(key, answer);
    return answer;
  });
  return Object.assign(fake, { accessToken, maxCharacters, statuses });
}

// ——— Bluesky ———

export interface FakeBluesky extends Fake {
  handle: string;
  did: string;
  appPassword: string;
  posts: Array<{ uri: string; cid: string; record: z.infer<typeof PostRecord> }>;
  sessionsCreated(): number;
  /** Every access token issued so far is now expired, as after a few hours. */
  expireSessions(): void;
}

const StrongRef = z.strictObject({ uri: z.string(), cid: z.string() });
const PostRecord = z.strictObject({
  $type: z.literal("app.bsky.feed.post"),
  text: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  facets: z
    .array(
      z.strictObject({
        index: z.strictObject({ byteStart: z.number().int().min(0), byteEnd: z.number().int().min(0) }),
        features: z.array(
          z.strictObject({ $type: z.literal("app.bsky.richtext.facet#link"), uri: z.string() }),
        ),
      }),
    )
    .optional(),
  reply: z.strictObject({ root: StrongRef, parent: StrongRef }).optional(),
});
const CreateRecord = z.strictObject({ repo: z.string(), collection: z.string(), record: PostRecord });

function invalid(message: string): FakeAnswer {
  return { status: 400, body: { error: "InvalidRequest", message } };
}

export async function startFakeBluesky(): Promise<FakeBluesky> {
  const handle = "status.example.com";
  const did = "did:plc:runsheetfake0000000000";
  const appPassword = "abcd-efgh-ijkl-mnop";
  const live = new Set<string>();
  const expired = new Set<string>();
  const posts: FakeBluesky["posts"] = [];
  let sessions = 0;
  const fake = await startFake((request) => {
    if (request.method !== "POST") return { status: 405, body: { error: "InvalidRequest" } };
    if (request.path === "/xrpc/com.atproto.server.createSession") {
      const login = z.strictObject({ identifier: z.string(), password: z.string() }).safeParse(request.json);
      if (!isJson(request) || !login.success)
        return invalid("Input must have the property identifier and password");
      if (![handle, did].includes(login.data.identifier) || login.data.password !== appPassword) {
        return {
          status: 401,
          body: { error: "AuthenticationRequired", message: "Invalid identifier or password" },
        };
      }
      sessions += 1;
      const accessJwt = `access-${randomBytes(8).toString("hex")}`;
      live.add(accessJwt);
      return {
        status: 200,
        body: { accessJwt, refreshJwt: `refresh-${accessJwt}`, did, handle, active: true },
      };
    }
    if (request.path !== "/xrpc/com.atproto.repo.createRecord") {
      return { status: 501, body: { error: "MethodNotImplemented" } };
    }
    const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (expired.has(token))
      return { status: 400, body: { error: "ExpiredToken", message: "Token has expired" } };
    if (!live.has(token))
      return { status: 401, body: { error: "AuthenticationRequired", message: "Invalid token" } };
    const input = CreateRecord.safeParse(isJson(request) ? request.json : undefined);
    if (!input.success) return invalid(`Invalid record: ${input.error.message}`);
    const { repo, collection, record } = input.data;
    if (repo !== did) return invalid("repo must be the session's DID");
    if (collection !== "app.bsky.feed.post") return invalid("collection must be app.bsky.feed.post");
    if (graphemeCount(record.text) > 300) return invalid("Record/text must not be longer than 300 graphemes");
    if (utf8Length(record.text) > 3000) return invalid("Record/text must not be longer than 3000 characters");
    const problem = facetProblem(record.text, record.facets ?? []);
    if (problem) return invalid(problem);
    for (const ref of record.reply ? [record.reply.root, record.reply.parent] : []) {
      if (!posts.some((p) => p.uri === ref.uri && p.cid === ref.cid))
        return invalid(`no post ${ref.uri} ${ref.cid}`);
    }
    const uri = `at://${did}/app.bsky.feed.post/3l${String(posts.length + 1).padStart(11, "0")}`;
    const cid = `bafyrei${randomBytes(16).toString("hex")}`;
    posts.push({ uri, cid, record });
    return {
      status: 200,
      body: { uri, cid, commit: { cid: `bafyrei${cid.slice(-8)}`, rev: "3l" }, validationStatus: "valid" },
    };
  });
  return Object.assign(fake, {
    handle,
    did,
    appPassword,
    posts,
    sessionsCreated: () => sessions,
    expireSessions() {
      for (const token of live) expired.add(token);
      live.clear();
    },
  });
}

/** A link facet must cover exactly its link's UTF-8 bytes in the text. */
function facetProblem(
  text: string,
  facets: NonNullable<z.infer<typeof PostRecord>["facets"]>,
): string | null {
  const bytes = Buffer.from(text, "utf8");
  for (const { index, features } of facets) {
    if (index.byteStart >= index.byteEnd || index.byteEnd > bytes.length) return "facet index out of range";
    const covered = bytes.subarray(index.byteStart, index.byteEnd).toString("utf8");
    for (const feature of features) {
      if (!URL.canParse(feature.uri)) return `facet uri ${feature.uri} is not a URI`;
      if (covered !== feature.uri) return `facet bytes "${covered}" do not match the link ${feature.uri}`;
    }
  }
  return null;
}

// ——— X ———

export interface FakeX extends Fake {
  credentials: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  posts: Array<{ id: string; text: string; inReplyTo?: string }>;
}

const TweetParams = z.strictObject({
  text: z.string(),
  reply: z.strictObject({ in_reply_to_tweet_id: z.string() }).optional(),
});

const UNAUTHORIZED: FakeAnswer = {
  status: 401,
  body: { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" },
};

function invalidTweet(message: string): FakeAnswer {
  return {
    status: 400,
    body: {
      errors: [{ message }],
      title: "Invalid Request",
      detail: "One or more parameters to your request was invalid.",
      type: "https://api.twitter.com/2/problems/invalid-request",
    },
  };
}

export async function startFakeX(): Promise<FakeX> {
  const credentials = {
    consumerKey: "x-api-key",
    consumerSecret: "x-api-key-secret",
    token: "1234-x-access-token",
    tokenSecret: "x-access-token-secret",
  };
  const nonces = new Set<string>();
  const posts: FakeX["posts"] = [];
  const fake = await startFake((request) => {
    if (request.method !== "POST" || request.path !== "/2/tweets") {
      return { status: 404, body: { title: "Not Found Error", status: 404 } };
    }
    // The signature is recomputed from the request as this server received it.
    const params = parseOAuth1Authorization(request.headers.authorization ?? "");
    const signature = params?.get("oauth_signature");
    const nonce = params?.get("oauth_nonce");
    if (!params || !signature || !nonce || nonces.has(nonce)) return UNAUTHORIZED;
    if (params.get("oauth_consumer_key") !== credentials.consumerKey) return UNAUTHORIZED;
    if (params.get("oauth_token") !== credentials.token) return UNAUTHORIZED;
    if (params.get("oauth_signature_method") !== "HMAC-SHA1" || params.get("oauth_version") !== "1.0") {
      return UNAUTHORIZED;
    }
    const signed = [...params].filter(([name]) => name !== "oauth_signature" && name !== "realm");
    const base = signatureBaseString("POST", `http://${request.headers.host}${request.path}`, signed);
    if (hmacSha1Signature(base, credentials.consumerSecret, credentials.tokenSecret) !== signature) {
      return UNAUTHORIZED;
    }
    nonces.add(nonce);
    const input = TweetParams.safeParse(isJson(request) ? request.json : undefined);
    if (!input.success) return invalidTweet(input.error.message);
    const { text, reply } = input.data;
    if (!text.trim()) return invalidTweet("text must not be empty");
    if (xWeightedLength(text) > 280) return invalidTweet("text is too long");
    if (reply && !posts.some((p) => p.id === reply.in_reply_to_tweet_id)) {
      return invalidTweet("The tweet you are replying to does not exist");
    }
    if (posts.some((p) => p.text === text)) {
      return {
        status: 403,
        body: {
          detail: "You are not allowed to create a Tweet with duplicate content.",
          type: "about:blank",
          title: "Forbidden",
          status: 403,
        },
      };
    }
    const id = String(1_890_000_000_000_000_000n + BigInt(posts.length + 1));
    posts.push({ id, text, ...(reply ? { inReplyTo: reply.in_reply_to_tweet_id } : {}) });
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
  });
  return Object.assign(fake, { credentials, posts });
}

// ——— Facts ———

/** Facts of a plausible update; overrides replace single fields, also inside `incident`. */
export function buildFacts(
  overrides: Partial<Omit<MessageFacts, "incident">> & { incident?: Partial<MessageFacts["incident"]> } = {},
): MessageFacts {
  const { incident, ...rest } = overrides;
  const facts: MessageFacts = {
    phase: "investigating",
    subject: "Investigating: Checkout errors",
    body: "We are investigating errors at checkout. Updates: https://status.example.com/incidents/inc-42",
    organizationName: "Quillmark",
    updateId: "upd-1",
    ...rest,
    incident: {
      id: "inc-42",
      reference: "INC-42",
      title: "Checkout errors",
      url: "https://status.example.com/incidents/inc-42",
      status: "investigating",
      severityName: "SEV1",
      components: [{ name: "Checkout", impact: "major_outage" }],
      drill: false,
      ...incident,
    },
  };
  return facts;
}

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 600 }),
  fc.string({ unit: "grapheme", maxLength: 600 }),
  fc.string({ unit: "grapheme-composite", maxLength: 400 }),
  fc.constantFrom("", " ", "\n\n", "👩‍👩‍👧‍👦".repeat(400), "a\u0301".repeat(1200), "漢字".repeat(200)),
);

/** An incident page's address, sometimes very long. */
const incidentUrl = fc
  .string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_/%~"),
    minLength: 1,
    maxLength: 400,
  })
  .map((path) => `https://status.example.com/incidents/${path}`);

/** Arbitrary facts: any unicode in every text, long links, links inside the body. */
export const arbitraryFacts: fc.Arbitrary<MessageFacts> = fc
  .record({
    phase: fc.constantFrom("investigating", "identified", "monitoring", "resolved"),
    subject: anyText,
    bodyParts: fc.array(fc.oneof(anyText, incidentUrl), { maxLength: 6 }),
    title: anyText,
    url: incidentUrl,
    components: fc.array(fc.record({ name: anyText, impact: fc.constant("partial_outage") }), {
      maxLength: 4,
    }),
    drill: fc.boolean(),
  })
  .map(({ bodyParts, title, url, components, drill, phase, subject }) =>
    buildFacts({
      phase,
      subject,
      body: bodyParts.join(" "),
      incident: { title, url, components, drill },
    }),
  );
