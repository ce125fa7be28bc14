import type { Actor } from "./model.ts";

type ActorUser = Extract<Actor, { kind: "user" }>["user"];

/**
 * Who a token acts as, remembered for a few seconds: machines send a token with
 * every request, and looking it up each time costs a database round trip.
 * Revoking a token or changing a user clears it at once in this process; other
 * processes on the same PostgreSQL notice within CACHE_MS.
 */
const CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { user: ActorUser; until: number }>();

export function cachedToken(hash: string, now: Date): ActorUser | null {
  const hit = cache.get(hash);
  return hit && hit.until > now.getTime() ? hit.user : null;
}

export function cacheToken(hash: string, user: ActorUser, now: Date): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(hash, { user, until: now.getTime() + CACHE_MS });
}

export function forgetCachedTokens(): void {
  cache.clear();
}
