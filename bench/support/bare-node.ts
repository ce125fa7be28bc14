/**
 * The ceiling of one Node.js process on this machine: node:http answering
 * every request with the same precompressed bytes, no routing or logic. The
 * status page benchmark runs it beside Runsheet and nginx for scale.
 * Usage: tsx bench/support/bare-node.ts <port> <file.gz>
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [port, file] = process.argv.slice(2);
const body = readFileSync(String(file));
const headers = {
  "content-type": "text/html; charset=utf-8",
  "content-encoding": "gzip",
  "content-length": String(body.length),
  "cache-control": "public, max-age=10, stale-while-revalidate=60",
  etag: '"bare"',
  vary: "Accept-Encoding",
};
createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(Number(port), "127.0.0.1");
