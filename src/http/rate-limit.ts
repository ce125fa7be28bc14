import type { FastifyRequest } from "fastify";
import { AppError } from "../shared/errors.ts";

/**
 * A per-address limit for the public endpoints that cost us something (a
 * confirmation email, a row): a fixed window per client IP, in memory. Behind
 * a proxy, set trustProxy so request.ip is the client's.
 */
export function rateLimiter(options: { max: number; windowMs: number }) {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return function check(request: FastifyRequest): void {
    const now = Date.now();
    if (hits.size > 50_000) {
      for (const [ip, entry] of hits) if (entry.resetAt <= now) hits.delete(ip);
    }
    const entry = hits.get(request.ip);
    if (!entry || entry.resetAt <= now) {
      hits.set(request.ip, { count: 1, resetAt: now + options.windowMs });
      return;
    }
    entry.count += 1;
    if (entry.count > options.max) {
      const seconds = Math.ceil((entry.resetAt - now) / 1000);
      throw Object.assign(
        new AppError("rate_limited", `Too many requests from your address: try again in ${seconds} s.`),
        {
          retryAfterSeconds: seconds,
        },
      );
    }
  };
}
