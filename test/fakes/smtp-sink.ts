import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a local port that keeps every message it accepts, for
 * tests of email delivery. It speaks SMTP as any relay does (EHLO, AUTH PLAIN,
 * MAIL FROM, RCPT TO, DATA) and can be told to refuse the next recipients.
 */
export interface SmtpMessage {
  from: string;
  to: string[];
  raw: string;
  headers: Map<string, string>;
  subject: string;
  /** The decoded text part (quoted-printable lines joined). */
  text: string;
}

export interface SmtpSink {
  port: number;
  host: string;
  user: string;
  password: string;
  messages: SmtpMessage[];
  /** The next `count` RCPT TO commands are answered with this SMTP code. */
  refuseNext(count: number, code: number): void;
  close(): Promise<void>;
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of unfolded.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  return headers;
}

function textPart(raw: string): string {
  const match = /Content-Type: text\/plain[\s\S]*?\r?\n\r?\n([\s\S]*?)(?:\r?\n--|$)/i.exec(raw);
  const body = match?.[1] ?? "";
  return body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export async function startSmtpSink(options: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const user = options.user ?? "runsheet";
  const password = options.password ?? "smtp-password";
  const messages: SmtpMessage[] = [];
  let refusals: { count: number; code: number } = { count: 0, code: 550 };
  const server = new SMTPServer({
    secure: false,
    authOptional: false,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      return callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refusals.count > 0) {
        refusals = { ...refusals, count: refusals.count - 1 };
        return callback(
          Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: refusals.code }),
        );
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const headers = parseHeaders(raw);
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          subject: headers.get("subject") ?? "",
          text: textPart(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    host: "127.0.0.1",
    user,
    password,
    messages,
    refuseNext(count, code) {
      refusals = { count, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
