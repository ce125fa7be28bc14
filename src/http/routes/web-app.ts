import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply } from "fastify";

/**
 * The responder web app: the static files `npm run build:web` writes to
 * web/dist, served under /app. Hashed assets are cached for a year; index.html
 * is never cached, so a new build is picked up on the next load, and carries a
 * strict Content-Security-Policy (no inline script, nothing from elsewhere).
 * Any other path under /app is a client route and gets index.html; a missing
 * asset is a real 404. The site root `/` is not ours: it is the status page's.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Where `npm run build:web` writes the app, in this checkout. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL("../../../web/dist", import.meta.url));

const HASHED_MAX_AGE = "public, max-age=31536000, immutable";
/** A file at the top of web/dist, such as theme.js or favicon.svg; anything else is a client route. */
const TOP_LEVEL_FILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.[A-Za-z0-9]+$/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Runsheet: web app not built</title></head>
<body><main><h1>The web app is not built yet</h1>
<p>Run <code>npm run build:web</code> in the Runsheet folder (<code>npm install</code> does it too), then reload this page.</p>
<p>The API works without it: see <a href="/api/docs">/api/docs</a>.</p></main></body></html>
`;

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function webAppRoutes(options: { distDir: string }): FastifyPluginAsync {
  const distDir = path.resolve(options.distDir);

  const sendIndex = (reply: FastifyReply) => {
    reply
      .header("content-security-policy", WEB_APP_CSP)
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "same-origin")
      .header("x-frame-options", "DENY");
    if (!existsSync(path.join(distDir, "index.html"))) {
      return reply.code(503).type("text/html; charset=utf-8").send(NOT_BUILT);
    }
    return reply.type("text/html; charset=utf-8").sendFile("index.html", distDir, { cacheControl: false });
  };

  return async (app) => {
    // Only reply.sendFile: the routes are ours, so each declares its access.
    await app.register(fastifyStatic, { serve: false });

    // With ignoreTrailingSlash, "/app" also answers "/app/": only the bare one is redirected.
    app.get("/app", { config: { access: "public" }, schema: { hide: true } }, async (request, reply) => {
      const [pathname = "", query] = request.url.split("?");
      if (pathname.endsWith("/")) return sendIndex(reply);
      return reply.redirect(`/app/${query ? `?${query}` : ""}`, 301);
    });

    app.get<{ Params: { "*": string } }>(
      "/app/assets/*",
      { config: { access: "public" }, schema: { hide: true } },
      async (request, reply) => {
        const assets = path.join(distDir, "assets");
        const file = path.resolve(assets, request.params["*"]);
        // Checked first, so a missing asset is a plain 404 that no cache keeps for a year.
        if (!file.startsWith(`${assets}${path.sep}`) || !isFile(file)) return reply.callNotFound();
        return reply
          .header("cache-control", HASHED_MAX_AGE)
          .header("x-content-type-options", "nosniff")
          .sendFile(path.relative(distDir, file), distDir, { cacheControl: false });
      },
    );

    app.get<{ Params: { "*": string } }>(
      "/app/*",
      { config: { access: "public" }, schema: { hide: true } },
      async (request, reply) => {
        const rest = request.params["*"];
        // The assets folder itself (with ignoreTrailingSlash, /app/assets/ lands here) is not a page.
        if (rest === "assets" || rest.startsWith("assets/")) return reply.callNotFound();
        if (rest === "" || rest === "index.html" || !TOP_LEVEL_FILE.test(rest)) return sendIndex(reply);
        return reply
          .header("cache-control", "no-cache")
          .header("x-content-type-options", "nosniff")
          .sendFile(rest, distDir, { cacheControl: false });
      },
    );
  };
}
