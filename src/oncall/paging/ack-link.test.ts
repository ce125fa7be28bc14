import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ACK_LINK_TTL_MS, ackLink, checkAckLink } from "./ack-link.ts";

const key = randomBytes(32);
const pageId = "0190f000-0000-7000-8000-000000000001";
const created = "2026-11-27T03:00:00.000Z";

function parts(url: string) {
  const u = new URL(url);
  return { path: u.pathname, exp: u.searchParams.get("exp")!, sig: u.searchParams.get("sig")! };
}

describe("acknowledgement links", () => {
  const link = ackLink("https://runsheet.example/", key, pageId, created);
  const { path, exp, sig } = parts(link.url);

  it("name the page and expire a day after the page was made", () => {
    expect(path).toBe(`/ack/${pageId}`);
    expect(link.expiresAt).toBe(new Date(Date.parse(created) + ACK_LINK_TTL_MS).toISOString());
    expect(Number(exp) * 1000).toBe(Date.parse(link.expiresAt));
    expect(checkAckLink(key, pageId, exp, sig, new Date(created))).toBe("ok");
  });

  it("expire", () => {
    const justBefore = new Date(Date.parse(link.expiresAt) - 1);
    expect(checkAckLink(key, pageId, exp, sig, justBefore)).toBe("ok");
    expect(checkAckLink(key, pageId, exp, sig, new Date(link.expiresAt))).toBe("expired");
  });

  it("refuse another page, a moved expiry, a changed signature and another key", () => {
    const now = new Date(created);
    expect(checkAckLink(key, "0190f000-0000-7000-8000-000000000002", exp, sig, now)).toBe("invalid");
    expect(checkAckLink(key, pageId, String(Number(exp) + 3_600), sig, now)).toBe("invalid");
    const flipped = `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`;
    expect(checkAckLink(key, pageId, exp, flipped, now)).toBe("invalid");
    expect(checkAckLink(key, pageId, exp, sig.slice(0, 10), now)).toBe("invalid");
    expect(checkAckLink(key, pageId, "1e12", sig, now)).toBe("invalid");
    expect(checkAckLink(randomBytes(32), pageId, exp, sig, now)).toBe("invalid");
  });
});
