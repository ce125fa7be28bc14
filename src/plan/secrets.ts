/**
 * Channel settings whose names look like credentials. The plan file is meant to
 * be versioned and reviewed, so such values must come from the environment
 * (`{ env: NAME }`), never be written into the file.
 */
export const CHANNEL_SECRET_KEY = /(token|secret|password|api_?key|webhook_?url|private_?key)/i;

/** A conventional variable name for a setting: `slack` + `webhook_url` → `SLACK_WEBHOOK_URL`. */
export function envNameFor(channelId: string, key: string): string {
  const name = `${channelId}_${key}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[A-Z_]/.test(name) ? name : `_${name}`;
}
