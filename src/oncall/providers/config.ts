import { z } from "zod";
import { AppError, issuesFromZod } from "../../shared/errors.ts";

/**
 * Where SMS and voice pages go: one Twilio-compatible API, configured by the
 * environment and read once at start.
 *
 *   RUNSHEET_TWILIO_ACCOUNT_SID  the account SID (AC…), also the basic-auth user
 *   RUNSHEET_TWILIO_AUTH_TOKEN   the auth token, the basic-auth password
 *   RUNSHEET_TWILIO_FROM         the number pages come from, E.164 (+15005550006)
 *   RUNSHEET_TWILIO_BASE_URL     default https://api.twilio.com; a compatible
 *                                provider's prefix before /2010-04-01/Accounts/…
 *
 * Set none of them to page without SMS and voice; set some but not all and the
 * start stops with a message naming what is missing.
 */
export const E164 = z
  .string()
  .regex(
    /^\+[1-9]\d{6,14}$/,
    "write the number in E.164 form: +, country code and number, such as +351912345678",
  );

const TwilioEnv = z.object({
  RUNSHEET_TWILIO_ACCOUNT_SID: z.string().trim().min(1).max(100),
  RUNSHEET_TWILIO_AUTH_TOKEN: z.string().trim().min(1).max(500),
  RUNSHEET_TWILIO_FROM: E164,
  RUNSHEET_TWILIO_BASE_URL: z
    .url({ protocol: /^https?$/, error: "RUNSHEET_TWILIO_BASE_URL must be an http(s) URL" })
    .default("https://api.twilio.com"),
});

export interface TwilioConfig {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

export interface PagingProviders {
  /** null when SMS and voice are not configured. */
  twilio: TwilioConfig | null;
}

const NAMES = ["RUNSHEET_TWILIO_ACCOUNT_SID", "RUNSHEET_TWILIO_AUTH_TOKEN", "RUNSHEET_TWILIO_FROM"] as const;

const parsed = new WeakMap<object, PagingProviders>();

/** Reads the providers' settings from the environment as it was at start (once per environment). */
export function pagingProviders(env: Readonly<Record<string, string | undefined>>): PagingProviders {
  const known = parsed.get(env);
  if (known) return known;
  const given = NAMES.filter((name) => env[name]);
  let twilio: TwilioConfig | null = null;
  if (given.length > 0 || env.RUNSHEET_TWILIO_BASE_URL) {
    const result = TwilioEnv.safeParse({
      RUNSHEET_TWILIO_ACCOUNT_SID: env.RUNSHEET_TWILIO_ACCOUNT_SID || undefined,
      RUNSHEET_TWILIO_AUTH_TOKEN: env.RUNSHEET_TWILIO_AUTH_TOKEN || undefined,
      RUNSHEET_TWILIO_FROM: env.RUNSHEET_TWILIO_FROM || undefined,
      RUNSHEET_TWILIO_BASE_URL: env.RUNSHEET_TWILIO_BASE_URL || undefined,
    });
    if (!result.success) {
      throw new AppError(
        "invalid",
        "The SMS and voice provider settings are not complete: set all of RUNSHEET_TWILIO_ACCOUNT_SID, RUNSHEET_TWILIO_AUTH_TOKEN and RUNSHEET_TWILIO_FROM, or none.",
        issuesFromZod(result.error.issues),
      );
    }
    const data = result.data;
    twilio = {
      baseUrl: data.RUNSHEET_TWILIO_BASE_URL.replace(/\/+$/, ""),
      accountSid: data.RUNSHEET_TWILIO_ACCOUNT_SID,
      authToken: data.RUNSHEET_TWILIO_AUTH_TOKEN,
      from: data.RUNSHEET_TWILIO_FROM,
    };
  }
  const providers = { twilio };
  parsed.set(env, providers);
  return providers;
}
