import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  hmacSha1Signature,
  oauth1Authorization,
  parseOAuth1Authorization,
  percentEncode,
  signatureBaseString,
} from "./oauth1.ts";

/**
 * The worked example of X's "Creating a signature" guide (the request posting
 * "Hello Ladies + Gentlemen, a signed OAuth request!"), with its published
 * base string and signature.
 */
const example = {
  url: "https://api.twitter.com/1/statuses/update.json?include_entities=true",
  form: [["status", "Hello Ladies + Gentlemen, a signed OAuth request!"]] as Array<[string, string]>,
  credentials: {
    consumerKey: "xvz1evFS4wEEPTGEFPHBog",
    consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
  },
  nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
  timestamp: 1318622958,
};

const PUBLISHED_BASE_STRING =
  "POST&https%3A%2F%2Fapi.twitter.com%2F1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";
const PUBLISHED_SIGNATURE = "tnnArxj06cWHq44gCs1OSKk/jLY=";

describe("OAuth 1.0a signing", () => {
  it("percent-encodes as RFC 3986 asks, including !'()* and UTF-8", () => {
    expect(percentEncode("Ladies + Gentlemen")).toBe("Ladies%20%2B%20Gentlemen");
    expect(percentEncode("!'()*")).toBe("%21%27%28%29%2A");
    expect(percentEncode("-._~aZ09")).toBe("-._~aZ09");
    expect(percentEncode("☃")).toBe("%E2%98%83");
  });

  it("builds the guide's signature base string and signature", () => {
    const params = [
      ["oauth_consumer_key", example.credentials.consumerKey],
      ["oauth_nonce", example.nonce],
      ["oauth_signature_method", "HMAC-SHA1"],
      ["oauth_timestamp", String(example.timestamp)],
      ["oauth_token", example.credentials.token],
      ["oauth_version", "1.0"],
      ...example.form,
    ] as const;
    const base = signatureBaseString("post", example.url, params);
    expect(base).toBe(PUBLISHED_BASE_STRING);
    expect(hmacSha1Signature(base, example.credentials.consumerSecret, example.credentials.tokenSecret)).toBe(
      PUBLISHED_SIGNATURE,
    );
  });

  it("puts the guide's signature in a header that reads back", () => {
    const header = oauth1Authorization(
      { method: "POST", url: example.url, formParams: example.form },
      example.credentials,
      { nonce: example.nonce, timestamp: example.timestamp },
    );
    expect(header).toBe(
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
    );
    expect(parseOAuth1Authorization(header)?.get("oauth_signature")).toBe(PUBLISHED_SIGNATURE);
  });

  it("signs a JSON request over the method, URL and oauth_* only, keyed with both secrets", () => {
    const header = oauth1Authorization(
      { method: "POST", url: "https://API.X.com:443/2/tweets" },
      { consumerKey: "ck", consumerSecret: "c&s", token: "tk", tokenSecret: "t s" },
      { nonce: "n", timestamp: 1 },
    );
    // By hand: the default port and the host's case go, and each secret is encoded before joining with "&".
    const base =
      "POST&https%3A%2F%2Fapi.x.com%2F2%2Ftweets&oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dtk%26oauth_version%3D1.0";
    const expected = createHmac("sha1", "c%26s&t%20s").update(base).digest("base64");
    expect(parseOAuth1Authorization(header)?.get("oauth_signature")).toBe(expected);
  });

  it("refuses a header that is not OAuth", () => {
    expect(parseOAuth1Authorization("Bearer abc")).toBeNull();
    expect(parseOAuth1Authorization('OAuth oauth_nonce="%E0%A4%A"')).toBeNull();
  });
});
