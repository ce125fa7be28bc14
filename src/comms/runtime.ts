import { Agent, fetch as undiciFetch } from "undici";
import { createUrlGuard, parseAllowlist } from "../shared/ssrf.ts";
import type { AdapterContext } from "./adapters/types.ts";
import { type SecretBox, secretBox } from "./secrets.ts";

/**
 * What delivering needs from the outside world, made once at start: the
 * environment that `{ env: NAME }` settings read, the key of stored secrets,
 * and an HTTP client that refuses internal addresses unless allow-listed.
 */
export interface CommsRuntime {
  env: Readonly<Record<string, string | undefined>>;
  secrets: SecretBox | null;
  fetch: AdapterContext["fetch"];
  /** Wakes the delivery worker after a transaction queued deliveries. */
  poke(): void;
}

export function createCommsRuntime(options: {
  env: Readonly<Record<string, string | undefined>>;
  /** Host names or CIDRs that may be reached although internal (RUNSHEET_URL_ALLOWLIST). */
  allowlist?: string[];
}): CommsRuntime {
  const guard = createUrlGuard(options.allowlist ?? parseAllowlist(options.env.RUNSHEET_URL_ALLOWLIST));
  // Every connection's addresses are checked when it is made, redirects included.
  const dispatcher = new Agent({ connect: { lookup: guard.lookup }, connections: 64 });
  return {
    env: options.env,
    secrets: secretBox(options.env.RUNSHEET_SECRET_KEY),
    fetch: async (url, init) => {
      guard.checkUrl(url);
      const response = await undiciFetch(url, { ...(init as object), redirect: "manual", dispatcher });
      return response as unknown as Response;
    },
    poke: () => {},
  };
}
