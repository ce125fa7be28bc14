import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import argon2 from "argon2";

/** Passwords: argon2id with the library's defaults (19 MiB, t=2), as OWASP recommends. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * API tokens, session ids and setup codes are 256-bit random values; the store
 * keeps only their SHA-256, which is enough for values this long and cheap
 * enough to check on every request.
 */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(sha256(a));
  const right = Buffer.from(sha256(b));
  return timingSafeEqual(left, right);
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
