import path from "node:path";
import type { Command } from "commander";
import { serveConfig } from "../config.ts";
import { loadStartupPlan } from "../plan/versions.ts";
import { systemClock } from "../shared/clock.ts";
import { EventHub } from "../shared/events.ts";
import { writeExport } from "../statuspage/export.ts";
import { pageUrlOf, readSnapshot } from "../statuspage/index.ts";
import { exportFilesOf } from "../statuspage/site.ts";
import { openStore } from "../store/open.ts";
import { print } from "./output.ts";

/**
 * `runsheet statuspage export --out DIR`: the whole public page as static
 * files (HTML pages linking to each other relatively, the v2 JSON, the feeds,
 * the badges), to host anywhere the systems it reports on are not.
 */
export function register(program: Command): void {
  const statuspage = program.command("statuspage").description("the public status page");
  statuspage
    .command("export")
    .description("write the status page as static files (open index.html from disk, or upload the folder)")
    .requiredOption("--out <dir>", "the folder to write into (created when missing)")
    .option("--data <dir>", "folder of the embedded SQLite store (env RUNSHEET_DATA; default ./data)")
    .option(
      "--plan <file>",
      "the plan file (env RUNSHEET_PLAN; default ./runsheet.yaml, else the example plan)",
    )
    .option("--json", "print JSON")
    .action(async (flags: { out: string; data?: string; plan?: string; json?: boolean }) => {
      const config = serveConfig({ data: flags.data, plan: flags.plan }, process.env);
      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const plans = await loadStartupPlan(store, systemClock, config.planFile);
        const pageUrl = pageUrlOf(config.publicUrl, {
          basePath: config.statusPageBasePath,
          url: config.statusPageUrl,
        });
        const snapshot = await readSnapshot(
          { store, plans, clock: systemClock, publicUrl: config.publicUrl, events: new EventHub() },
          pageUrl,
        );
        const files = exportFilesOf(snapshot, config.publicUrl);
        const written = await writeExport(flags.out, files);
        const out = path.resolve(flags.out);
        print(
          { json: Boolean(flags.json) },
          { dir: out, files: written, index: path.join(out, "index.html") },
          (r) =>
            [
              `Wrote ${r.files} files to ${r.dir}`,
              `Open ${r.index} in a browser, or upload the folder to any static host.`,
            ].join("\n"),
        );
      } finally {
        await store.close();
      }
    });
}
