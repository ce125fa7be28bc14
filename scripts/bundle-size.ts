import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * The gzipped size of the JavaScript the first screen loads: the scripts
 * web/dist/index.html names, and the chunks they import statically (lazy
 * screens are not counted). Run `npm run build:web` first. Writes
 * bench/results/web-bundle.json; the target is under 250 KB.
 */
const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const dist = path.join(root, "web/dist");
const TARGET_BYTES = 250 * 1024;

function staticImports(file: string, seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(path.join(dist, file), "utf8");
  // Static imports in a built chunk: `import{…}from"./x.js"` or `import"./x.js"`; dynamic import() is skipped.
  for (const match of code.matchAll(
    /(?:^|[;}\s])import\s*(?:[\w${},*\s]+from\s*)?["']\.\/([\w.-]+\.js)["']/g,
  )) {
    staticImports(path.join(path.dirname(file), match[1]!), seen);
  }
}

const html = readFileSync(path.join(dist, "index.html"), "utf8");
const entries = [...html.matchAll(/<script[^>]*\bsrc="\/app\/([^"]+\.js)"/g)].map((m) => m[1]!);
const files = new Set<string>();
for (const entry of entries) staticImports(entry, files);

const sizes = [...files].map((file) => {
  const bytes = readFileSync(path.join(dist, file));
  return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
});
const gzipBytes = sizes.reduce((sum, s) => sum + s.gzipBytes, 0);
const result = {
  measuredAt: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
  firstScreen: {
    files: sizes,
    bytes: sizes.reduce((sum, s) => sum + s.bytes, 0),
    gzipBytes,
    gzipKB: Math.round((gzipBytes / 1024) * 10) / 10,
  },
  targetKB: TARGET_BYTES / 1024,
  withinTarget: gzipBytes <= TARGET_BYTES,
};
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(path.join(root, "bench/results/web-bundle.json"), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `first screen: ${result.firstScreen.gzipKB} KB of JavaScript gzipped (${sizes.length} files; target ${result.targetKB} KB)\n`,
);
if (!result.withinTarget) process.exitCode = 1;
