import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { createCommsRuntime } from "../comms/runtime.ts";
import { createUrlGuard, parseAllowlist } from "./ssrf.ts";

describe("the request-forgery guard", () => {
  const guard = createUrlGuard();

  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "100.64.0.1",
    "169.254.169.254",
    "172.16.5.4",
    "192.168.1.1",
    "198.18.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "fd00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
  ])("refuses %s", (address) => {
    expect(() => guard.checkAddress(address, "example.test")).toThrow(/internal address/);
  });

  it.each(["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])("lets %s through", (address) => {
    expect(() => guard.checkAddress(address, "example.test")).not.toThrow();
  });

  it("refuses URLs that are not http(s) or that carry credentials, and literal internal hosts", () => {
    expect(() => guard.checkUrl("file:///etc/passwd")).toThrow(/not allowed/);
    expect(() => guard.checkUrl("https://user:pass@example.com/")).toThrow(/credentials/);
    expect(() => guard.checkUrl("http://[::1]:8080/x")).toThrow(/internal/);
    expect(() => guard.checkUrl("http://169.254.169.254/latest")).toThrow(/internal/);
    expect(guard.checkUrl("https://hooks.example.com/x").hostname).toBe("hooks.example.com");
  });

  it("opens allow-listed hosts and networks only", () => {
    const open = createUrlGuard(parseAllowlist("mattermost.internal, 10.0.0.0/8 ,192.168.1.7"));
    expect(() => open.checkAddress("10.20.30.40", "anything")).not.toThrow();
    expect(() => open.checkAddress("192.168.1.7", "anything")).not.toThrow();
    expect(() => open.checkAddress("192.168.1.8", "anything")).toThrow();
    expect(() => open.checkAddress("127.0.0.1", "mattermost.internal")).not.toThrow();
    expect(() => open.checkAddress("127.0.0.1", "other.internal")).toThrow();
  });

  it("checks the addresses a host name resolves to when the connection is made", async () => {
    const server = createServer((_req, res) => res.end("reached"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      // "localhost" is a name, not a literal address: only the lookup at connect time can catch it.
      const guarded = createCommsRuntime({ env: {} });
      await expect(guarded.fetch(`http://localhost:${port}/`)).rejects.toThrow();
      const allowed = createCommsRuntime({ env: {}, allowlist: ["localhost"] });
      const res = await allowed.fetch(`http://localhost:${port}/`);
      expect(await res.text()).toBe("reached");
    } finally {
      server.close();
    }
  });
});
