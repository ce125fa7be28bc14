import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Server-side request forgery guard for URLs that users configure (chat
 * webhooks, subscriber webhooks, self-hosted instances). Every address a host
 * name resolves to is checked when the connection is made, so neither a DNS
 * answer that changes after a check (rebinding) nor a redirect can reach
 * loopback, private, link-local or cloud-metadata addresses. An allow-list
 * (RUNSHEET_URL_ALLOWLIST: host names or CIDRs) opens them for self-hosted
 * targets on the same network.
 */
const BLOCKED_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
];
const BLOCKED_V6 = ["::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96"];

function blockList(): BlockList {
  const list = new BlockList();
  for (const cidr of BLOCKED_V4) {
    const [net, bits] = cidr.split("/");
    list.addSubnet(net!, Number(bits), "ipv4");
  }
  for (const cidr of BLOCKED_V6) {
    const [net, bits] = cidr.split("/");
    list.addSubnet(net!, Number(bits), "ipv6");
  }
  return list;
}

const BLOCKED = blockList();

export interface UrlGuard {
  /** Throws when the address may not be reached; host is the name it came from. */
  checkAddress(address: string, host: string): void;
  /** Checks the URL's form (http/https, no credentials) before any lookup. */
  checkUrl(url: string): URL;
  /** A dns.lookup replacement that refuses blocked addresses, for the HTTP client's connect. */
  lookup: typeof dnsLookup;
}

export function parseAllowlist(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

export function createUrlGuard(allowlist: string[] = []): UrlGuard {
  const allowedHosts = new Set(allowlist.filter((entry) => !entry.includes("/") && isIP(entry) === 0));
  const allowedNets = new BlockList();
  for (const entry of allowlist) {
    const [net, bits] = entry.includes("/") ? entry.split("/") : [entry, undefined];
    const family = isIP(net!);
    if (family === 0) continue;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) allowedNets.addAddress(net!, type);
    else allowedNets.addSubnet(net!, Number(bits), type);
  }

  function checkAddress(address: string, host: string): void {
    if (allowedHosts.has(host.toLowerCase())) return;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const type = isIP(ip) === 6 ? "ipv6" : "ipv4";
    if (allowedNets.check(ip, type)) return;
    if (BLOCKED.check(ip, type)) {
      throw new Error(
        `${host} resolves to ${address}, an internal address; add it to RUNSHEET_URL_ALLOWLIST if it is a self-hosted target you trust`,
      );
    }
  }

  const lookup = ((hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address: string | Array<{ address: string; family: number }>,
      family?: number,
    ) => void;
    const opts = (typeof options === "object" && options !== null ? options : {}) as { all?: boolean };
    dnsLookup(hostname, { ...opts, all: true }, (error, addresses) => {
      if (error) return cb(error, []);
      try {
        for (const a of addresses) checkAddress(a.address, hostname);
      } catch (refused) {
        return cb(Object.assign(refused as Error, { code: "ERR_RUNSHEET_BLOCKED_ADDRESS" }), []);
      }
      if (opts.all) return cb(null, addresses);
      const first = addresses[0]!;
      return cb(null, first.address, first.family);
    });
  }) as typeof dnsLookup;

  return {
    checkAddress,
    lookup,
    checkUrl(raw: string): URL {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(`"${raw}" is not a URL`);
      }
      if (url.protocol !== "https:" && url.protocol !== "http:")
        throw new Error(`${url.protocol} URLs are not allowed`);
      if (url.username || url.password) throw new Error("URLs with credentials in them are not allowed");
      const host = url.hostname.replace(/^\[|\]$/g, "");
      if (isIP(host)) checkAddress(host, host);
      return url;
    },
  };
}
