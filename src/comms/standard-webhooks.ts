import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks (standardwebhooks.com), the signing scheme of Runsheet's
 * outgoing webhooks: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)),
 * where the secret is `whsec_` + base64 of the key bytes. The header carries one
 * signature per active secret, so a receiver keeps working while keys rotate.
 * `verifyWebhook` is what a subscriber runs; it lives here so the docs and the
 * tests use one implementation.
 */

const PREFIX = "whsec_";
/** The spec's range of key sizes; shorter keys are guessable, longer ones only cost. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Receivers refuse messages older or newer than this, which bounds replays. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why a secret is not usable, or null when it is (no secret text in the message). */
export function webhookSecretProblem(secret: string): string | null {
  if (!secret.startsWith(PREFIX))
    return `a signing secret starts with "${PREFIX}" (create one with newWebhookSecret)`;
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0)
    return `a signing secret is "${PREFIX}" followed by base64`;
  const bytes = Buffer.from(encoded, "base64").length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `a signing secret holds ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, this one ${bytes}`;
  }
  return null;
}

function keyOf(secret: string): Buffer {
  const problem = webhookSecretProblem(secret);
  if (problem) throw new Error(problem);
  return Buffer.from(secret.slice(PREFIX.length), "base64");
}

function sign(key: Buffer, id: string, timestamp: number | string, body: string): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest();
}

export interface SignInput {
  /** The `webhook-id`: the same on every retry, so receivers can drop duplicates. */
  id: string;
  /** The `webhook-timestamp`: Unix seconds of this attempt. */
  timestamp: number;
  /** The exact bytes sent; re-serialising JSON would change the signature. */
  body: string;
  /** Every active secret (two during a rotation). */
  secrets: readonly string[];
}

/** The `webhook-signature` header value: `v1,<base64>` per secret, space-separated. */
export function signWebhook(input: SignInput): string {
  if (input.secrets.length === 0) throw new Error("signing a webhook needs at least one secret");
  return input.secrets
    .map((secret) => `v1,${sign(keyOf(secret), input.id, input.timestamp, input.body).toString("base64")}`)
    .join(" ");
}

export interface VerifyInput {
  /** The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers as received. */
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  /** The raw request body, before any JSON parsing. */
  body: string;
  /** The receiver's secret(s); any one matching signature is enough. */
  secrets: readonly string[];
  now?: Date;
}

/**
 * True when one of the signatures matches one of the secrets and the timestamp
 * is within ±5 minutes of now. Comparison is constant-time, so response timing
 * reveals nothing about the expected signature.
 */
export function verifyWebhook(input: VerifyInput): boolean {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const offered = signature
    .split(" ")
    .filter((part) => part.startsWith("v1,"))
    .map((part) => Buffer.from(part.slice(3), "base64"));
  for (const secret of input.secrets) {
    if (webhookSecretProblem(secret)) continue;
    const expected = sign(keyOf(secret), id, timestamp, input.body);
    // Every candidate is compared (no early exit on the first mismatch's position); lengths are public.
    if (
      offered.some(
        (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
      )
    ) {
      return true;
    }
  }
  return false;
}

/** A new secret to give a subscriber: 32 random bytes, as the spec's `whsec_` string. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}
