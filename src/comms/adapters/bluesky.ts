import { z } from "zod";
import { GiveUp } from "../../jobs/retry.ts";
import { graphemeCount, URL_PATTERN, utf8Length } from "../measure.ts";
import {
  answer,
  BaseUrl,
  expectDelivered,
  fitText,
  jsonHeaders,
  postText,
  rendering,
  Secret,
  send,
  storedPayload,
} from "./social-common.ts";
import type { AdapterContext, ChannelAdapter, DeliveryAttempt } from "./types.ts";

/**
 * Bluesky: a session with the account's app password, then a post record
 * (`com.atproto.repo.createRecord`, collection `app.bsky.feed.post`).
 *
 * Threading: a reply must name its thread's root and its parent by uri and
 * cid. The first post of an incident returns providerMessageId = its at:// uri
 * and threadId = `${uri}|${cid}` (neither contains "|"); every later update
 * replies with that post as both root and parent, so each update is a direct
 * reply to the first. Replies return the same threadId, naming the root.
 *
 * Links are plain text to Bluesky unless a facet marks their UTF-8 byte range,
 * so render adds one facet per link, computed on the exact text it sends.
 */

const POST = "app.bsky.feed.post";
const MAX_GRAPHEMES = 300;
const MAX_BYTES = 3000;

export const BlueskySettings = z
  .strictObject({
    service_url: BaseUrl.optional(),
    /** The name every other provider uses for its address. */
    base_url: BaseUrl.optional(),
    /** The account's handle (status.example.com), DID or email. */
    identifier: z.string().min(1, "set the account's handle, such as status.example.com"),
    app_password: Secret,
  })
  .check((ctx) => {
    const { service_url, base_url } = ctx.value;
    if (service_url && base_url && service_url !== base_url) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        path: ["base_url"],
        message: "service_url and base_url name the same thing: keep one",
      });
    }
  })
  .transform((s) => ({
    serviceUrl: s.service_url ?? s.base_url ?? "https://bsky.social",
    identifier: s.identifier,
    appPassword: s.app_password,
  }));
export type BlueskySettings = z.output<typeof BlueskySettings>;

/**
 * Bluesky refuses a post over 300 graphemes or over 3,000 UTF-8 bytes. One
 * measure holds both: the graphemes, or a tenth of the bytes when that is more
 * (only text full of combining marks or long emoji sequences gets there).
 */
export function blueskyLength(text: string): number {
  return Math.max(graphemeCount(text), Math.ceil(utf8Length(text) / (MAX_BYTES / MAX_GRAPHEMES)));
}

const LinkFacet = z.strictObject({
  index: z.strictObject({ byteStart: z.number().int().nonnegative(), byteEnd: z.number().int().positive() }),
  features: z
    .array(z.strictObject({ $type: z.literal("app.bsky.richtext.facet#link"), uri: z.string() }))
    .min(1),
});
export type LinkFacet = z.infer<typeof LinkFacet>;

/** Trailing punctuation ends a sentence, not the link (as Bluesky's own app reads links). */
const TRAILING_PUNCTUATION = /[.,;:!?'’]+$/;

/**
 * One link facet per link in `text`, at UTF-8 byte offsets. A link that
 * shortening cut (it runs into the "…") gets none: it would lead nowhere.
 */
export function linkFacets(text: string): LinkFacet[] {
  const facets: LinkFacet[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    if (match[0].includes("…")) continue;
    let uri = match[0].replace(TRAILING_PUNCTUATION, "");
    if (uri.endsWith(")") && count(uri, "(") < count(uri, ")")) uri = uri.slice(0, -1);
    if (!URL.canParse(uri)) continue;
    const byteStart = utf8Length(text.slice(0, match.index));
    facets.push({
      index: { byteStart, byteEnd: byteStart + utf8Length(uri) },
      features: [{ $type: "app.bsky.richtext.facet#link", uri }],
    });
  }
  return facets;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

const BlueskyPayload = z.strictObject({
  collection: z.literal(POST),
  record: z.strictObject({
    $type: z.literal(POST),
    text: z.string(),
    facets: z.array(LinkFacet).optional(),
  }),
});

const Session = z.object({ accessJwt: z.string().min(1), did: z.string().min(1) });
type Session = z.infer<typeof Session>;

const Created = z.object({ uri: z.string().min(1), cid: z.string().min(1) });

interface PostRef {
  uri: string;
  cid: string;
}

/** Reads the thread's root back from `${uri}|${cid}`; none when it was not stored that way. */
function threadRoot(thread: DeliveryAttempt["thread"]): PostRef | undefined {
  const [uri, cid, ...rest] = (thread?.threadId ?? "").split("|");
  return uri && cid && rest.length === 0 ? { uri, cid } : undefined;
}

/**
 * Sessions by service and account. createSession is rate-limited much more
 * tightly than posting (tens per five minutes), so a busy incident must not
 * open one per delivery; an access token lasts hours and is renewed when refused.
 */
const sessions = new Map<string, Session>();

async function createSession(ctx: AdapterContext, settings: BlueskySettings): Promise<Session> {
  const response = await send(
    ctx,
    "POST",
    `${settings.serviceUrl}/xrpc/com.atproto.server.createSession`,
    jsonHeaders(null),
    { identifier: settings.identifier, password: settings.appPassword },
  );
  return answer(await expectDelivered(response, "Bluesky", ctx.now()), "Bluesky", Session);
}

/** A refused access token (expired or revoked): worth one new session. */
async function sessionRefused(response: Response): Promise<boolean> {
  if (response.status !== 400 && response.status !== 401) return false;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  const error = typeof body === "object" && body !== null && "error" in body ? body.error : undefined;
  return error === "ExpiredToken" || error === "InvalidToken" || error === "AuthenticationRequired";
}

export const blueskyAdapter: ChannelAdapter<BlueskySettings> = {
  type: "bluesky",
  settings: BlueskySettings,

  render(facts) {
    const fitted = fitText(postText(facts), facts, { max: MAX_GRAPHEMES, unit: "graphemes" }, blueskyLength);
    const facets = linkFacets(fitted.text);
    return rendering(fitted, {
      collection: POST,
      record: { $type: POST, text: fitted.text, ...(facets.length > 0 ? { facets } : {}) },
    });
  },

  async deliver(ctx, attempt, settings) {
    const payload = storedPayload(attempt.rendering, "Bluesky", BlueskyPayload);
    const root = threadRoot(attempt.thread);
    if (attempt.thread && !root) {
      throw new GiveUp(`the Bluesky thread "${attempt.thread.threadId ?? ""}" is not "uri|cid"`);
    }
    const post = (session: Session) =>
      send(
        ctx,
        "POST",
        `${settings.serviceUrl}/xrpc/com.atproto.repo.createRecord`,
        jsonHeaders(`Bearer ${session.accessJwt}`),
        {
          repo: session.did,
          collection: payload.collection,
          record: {
            ...payload.record,
            createdAt: ctx.now().toISOString(),
            ...(root ? { reply: { root, parent: root } } : {}),
          },
        },
      );

    const key = `${settings.serviceUrl}\n${settings.identifier}`;
    const cached = sessions.get(key);
    let session = cached ?? (await createSession(ctx, settings));
    sessions.set(key, session);
    let response = await post(session);
    if (cached && (await sessionRefused(response))) {
      sessions.delete(key);
      session = await createSession(ctx, settings);
      sessions.set(key, session);
      response = await post(session);
    }
    const created = await answer(await expectDelivered(response, "Bluesky", ctx.now()), "Bluesky", Created);
    return {
      providerMessageId: created.uri,
      threadId: root ? `${root.uri}|${root.cid}` : `${created.uri}|${created.cid}`,
    };
  },
};
