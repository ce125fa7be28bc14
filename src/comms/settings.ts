import type { Channel } from "../plan/schema.ts";

/**
 * A channel's settings with every `{ env: NAME }` and `{ secret: NAME }`
 * replaced by its value. Missing values are listed, not guessed, so a
 * delivery can fail with a message that names what to set.
 */
export function resolveSettings(
  channel: Channel,
  env: Readonly<Record<string, string | undefined>>,
  stored: ReadonlyMap<string, string>,
): { settings: Record<string, unknown>; missing: string[] } {
  const settings: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [key, value] of Object.entries(channel.settings)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      if ("env" in value) {
        const found = env[value.env];
        if (found === undefined || found === "")
          missing.push(`environment variable ${value.env} (for ${key})`);
        else settings[key] = found;
      } else {
        const found = stored.get(value.secret);
        if (found === undefined)
          missing.push(`stored secret "${value.secret}" of channel ${channel.id} (for ${key})`);
        else settings[key] = found;
      }
    } else {
      settings[key] = value;
    }
  }
  return { settings, missing };
}

/**
 * The settings as they look before secrets are known (plan validation,
 * previews): every reference becomes a placeholder that passes as a URL or a
 * string, so the rest of the settings can still be checked.
 */
export function placeholderSettings(channel: Channel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(channel.settings)) {
    out[key] = typeof value === "object" && value !== null && !Array.isArray(value) ? PLACEHOLDER : value;
  }
  return out;
}

/** Passes both z.url() and z.string() checks; never sent anywhere. */
export const PLACEHOLDER = "https://secret.invalid/placeholder";
