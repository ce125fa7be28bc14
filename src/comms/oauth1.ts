import { createHmac, randomBytes } from "node:crypto";

/**
 * OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 §3), as X requires for
 * posting on behalf of an account with the app's keys and the account's
 * access token. Only the Authorization header form is produced.
 */

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface OAuth1Request {
  method: string;
  /** The full URL; its query parameters are signed too. */
  url: string;
  /**
   * Parameters of an application/x-www-form-urlencoded body, which are signed.
   * A JSON body is not (RFC 5849 §3.4.1.3.1 signs only form bodies).
   */
  formParams?: ReadonlyArray<readonly [string, string]>;
}

/** Fixed in tests; random and the current time otherwise. */
export interface OAuth1Options {
  nonce?: string;
  /** Seconds since the Unix epoch. */
  timestamp: number;
}

/**
 * RFC 3986 percent-encoding (RFC 5849 §3.6): everything but unreserved
 * characters, in UTF-8 with upper-case hex. encodeURIComponent leaves
 * !'()* as they are, which would change the signature.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The base string URI (§3.4.1.2): scheme and host in lower case, default port dropped, no query. */
function baseStringUri(url: URL): string {
  // URL already lower-cases scheme and host and drops the scheme's default port.
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * The signature base string (§3.4.1): method, base URI and the normalised
 * parameters (query, form body and oauth_* except the signature), each pair
 * encoded, then sorted by name and value.
 */
export function signatureBaseString(
  method: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const parsed = new URL(url);
  const all = [...parsed.searchParams.entries(), ...params]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  return [method.toUpperCase(), percentEncode(baseStringUri(parsed)), percentEncode(all)].join("&");
}

/** Byte order, as the RFC asks; the encoded strings are ASCII, so code units compare the same. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** HMAC-SHA1 (§3.4.2) keyed with the encoded consumer secret and token secret, in base64. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac("sha1", key).update(baseString).digest("base64");
}

/** The protocol parameters of a request, before signing. */
export function oauthParams(credentials: OAuth1Credentials, options: OAuth1Options): Array<[string, string]> {
  return [
    ["oauth_consumer_key", credentials.consumerKey],
    ["oauth_nonce", options.nonce ?? randomBytes(16).toString("hex")],
    ["oauth_signature_method", "HMAC-SHA1"],
    ["oauth_timestamp", String(options.timestamp)],
    ["oauth_token", credentials.token],
    ["oauth_version", "1.0"],
  ];
}

/** The `Authorization: OAuth …` header value (§3.5.1) for one request. */
export function oauth1Authorization(
  request: OAuth1Request,
  credentials: OAuth1Credentials,
  options: OAuth1Options,
): string {
  const protocol = oauthParams(credentials, options);
  const base = signatureBaseString(request.method, request.url, [...protocol, ...(request.formParams ?? [])]);
  const signature = hmacSha1Signature(base, credentials.consumerSecret, credentials.tokenSecret);
  const header = [...protocol, ["oauth_signature", signature] as const]
    .sort(([a], [b]) => compare(a, b))
    .map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
    .join(", ");
  return `OAuth ${header}`;
}

/** Reads an `Authorization: OAuth …` header back into its parameters (for verifying one). */
export function parseOAuth1Authorization(header: string): Map<string, string> | null {
  if (!header.startsWith("OAuth ")) return null;
  const params = new Map<string, string>();
  for (const part of header.slice("OAuth ".length).split(",")) {
    const match = /^\s*([^=\s]+)="([^"]*)"\s*$/.exec(part);
    if (!match) return null;
    try {
      params.set(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    } catch {
      return null;
    }
  }
  return params;
}
