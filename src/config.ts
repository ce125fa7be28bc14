import { existsSync } from "node:fs";
import { z } from "zod";
import { EXAMPLE_PLAN_PATH } from "./plan/index.ts";
import { AppError, issuesFromZod } from "./shared/errors.ts";

/**
 * Configuration is read once, here, from flags and the environment (flags win),
 * and passed in from then on. A bad value stops the start with a readable message.
 */
export const StoreFlags = z.object({
  databaseUrl: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      "DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite store)",
    )
    .optional(),
  dataDir: z.string().min(1).default("./data"),
});
export type StoreFlags = z.infer<typeof StoreFlags>;

export const ServeConfig = StoreFlags.extend({
  port: z.coerce.number().int().min(0).max(65_535).default(3000),
  host: z.string().min(1).default("127.0.0.1"),
  planFile: z.string().min(1),
  publicUrl: z.url().optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long a claimed job may run before another process takes it over (PostgreSQL). */
  jobLeaseSeconds: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Where the public status page lives on this host: "/" or a path such as "/status". */
  statusPageBasePath: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, "RUNSHEET_STATUSPAGE_BASE_PATH must be a path such as / or /status")
    .refine((p) => !/^\/(api|app)(\/|$)/.test(p), "the status page cannot live under /api or /app")
    .default("/"),
  /** The page's public address when it differs from RUNSHEET_PUBLIC_URL plus the base path. */
  statusPageUrl: z.url().optional(),
  /** Re-export the static status page into this folder after every change. */
  statusPageExportDir: z.string().min(1).optional(),
  /** Serve /metrics without a token (RUNSHEET_METRICS_PUBLIC=1), for a Prometheus that cannot send one. */
  metricsPublic: z
    .enum(["0", "1", "true", "false"], { error: "RUNSHEET_METRICS_PUBLIC must be 1 or 0" })
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});
export type ServeConfig = z.infer<typeof ServeConfig> & {
  publicUrl: string;
  planIsExample: boolean;
  /** The environment as it was at start: `{ env: NAME }` channel settings read it. */
  env: Readonly<Record<string, string | undefined>>;
};

type Env = Record<string, string | undefined>;

export function storeFlags(flags: { data?: string | undefined }, env: Env): StoreFlags {
  return parse(StoreFlags, {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: flags.data ?? env.RUNSHEET_DATA,
  });
}

export function serveConfig(
  flags: {
    port?: string | undefined;
    data?: string | undefined;
    plan?: string | undefined;
    host?: string | undefined;
  },
  env: Env,
): ServeConfig {
  const explicitPlan = flags.plan ?? env.RUNSHEET_PLAN;
  const planFile = explicitPlan ?? (existsSync("./runsheet.yaml") ? "./runsheet.yaml" : EXAMPLE_PLAN_PATH);
  const parsed = parse(ServeConfig, {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: flags.data ?? env.RUNSHEET_DATA,
    port: flags.port ?? env.PORT,
    host: flags.host ?? env.HOST,
    planFile,
    publicUrl: env.RUNSHEET_PUBLIC_URL || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    jobLeaseSeconds: env.RUNSHEET_JOB_LEASE_SECONDS || undefined,
    statusPageBasePath: env.RUNSHEET_STATUSPAGE_BASE_PATH || undefined,
    statusPageUrl: env.RUNSHEET_STATUSPAGE_URL || undefined,
    statusPageExportDir: env.RUNSHEET_STATUSPAGE_EXPORT_DIR || undefined,
    metricsPublic: env.RUNSHEET_METRICS_PUBLIC || undefined,
  });
  const shownHost = parsed.host === "0.0.0.0" || parsed.host === "::" ? "localhost" : parsed.host;
  return {
    ...parsed,
    publicUrl: (parsed.publicUrl ?? `http://${shownHost}:${parsed.port}`).replace(/\/$/, ""),
    planIsExample: planFile === EXAMPLE_PLAN_PATH,
    env: { ...env },
  };
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new AppError("invalid", "The configuration is not valid.", issuesFromZod(result.error.issues));
  return result.data;
}
