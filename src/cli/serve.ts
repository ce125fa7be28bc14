import type { Command } from "commander";
import { serveConfig } from "../config.ts";
import { startServer } from "../server.ts";

export function register(program: Command): void {
  program
    .command("serve")
    .description("run the Runsheet server (API, and later the web app and status page)")
    .option("--port <n>", "port to listen on (env PORT; default 3000)")
    .option("--host <host>", "address to listen on (env HOST; default 127.0.0.1, use 0.0.0.0 to expose)")
    .option("--data <dir>", "folder of the embedded SQLite store (env RUNSHEET_DATA; default ./data)")
    .option(
      "--plan <file>",
      "the plan file (env RUNSHEET_PLAN; default ./runsheet.yaml, else the example plan)",
    )
    .action(async (flags: { port?: string; host?: string; data?: string; plan?: string }) => {
      const config = serveConfig(flags, process.env);
      const server = await startServer(config);
      const store = config.databaseUrl ? "PostgreSQL" : `SQLite in ${config.dataDir}`;
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const where = `store: ${store}; plan: ${config.planFile}${config.planIsExample ? ", the example" : ""}`;
      say(`Runsheet is running: open ${server.url}/app/  (${where})`);
      say(`API docs: ${server.url}/api/docs`);
      if (server.setupCode) {
        say("");
        say(`First run: open ${server.url}/app/ and set up the admin account with this one-time code`);
        say(`(valid until the server restarts):  ${server.setupCode}`);
        say("Or from a terminal:");
        say(
          `  curl -X POST ${server.url}/api/v1/setup -H 'content-type: application/json' -d '{"code":"${server.setupCode}","email":"you@example.com","name":"Your Name","password":"a long passphrase"}'`,
        );
        say(
          `  npx runsheet user create --role admin --email you@example.com --name "Your Name"${config.dataDir !== "./data" ? ` --data ${config.dataDir}` : ""}`,
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await server.close();
    });
}
