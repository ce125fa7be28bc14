import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server that behaves like Twilio's REST API for the two calls
 * paging makes, checked the way Twilio documents them:
 *
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   To, From, Body        → 201 message
 *   POST /2010-04-01/Accounts/{AccountSid}/Calls.json      To, From, Twiml|Url   → 201 call
 *
 * Form-encoded bodies, HTTP basic auth with the account SID and auth token
 * (401 with code 20003 otherwise), E.164 numbers (400 with code 21211
 * otherwise), a body of at most 1,600 characters, and Twilio's error body
 * `{code, message, more_info, status}`. Tests can make the next answers 429
 * (with Retry-After) or 5xx. Everything received is recorded.
 */

export interface TwilioRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
  status: number;
}

export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
}

export interface TwilioCall {
  sid: string;
  to: string;
  from: string;
  twiml: string | null;
  url: string | null;
}

export interface TwilioAnswer {
  status: number;
  retryAfter?: number;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  /** A number the account may send from. */
  from: string;
  requests: TwilioRequest[];
  messages: TwilioMessage[];
  calls: TwilioCall[];
  /** The next requests to Messages.json or Calls.json get these answers instead, in order. */
  behave(resource: "Messages" | "Calls", answers: TwilioAnswer[]): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const BODY_MAX = 1_600;
const TWIML_MAX = 4_000;
const PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/;

function sid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

interface TwilioError {
  code: number;
  message: string;
  status: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(error: TwilioError) {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  };
}

function messageProblem(form: Record<string, string>): TwilioError | null {
  if (!form.To) return { code: 21604, message: "A 'To' phone number is required.", status: 400 };
  if (!E164.test(form.To))
    return { code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.`, status: 400 };
  if (!form.From) return { code: 21603, message: "A 'From' phone number is required.", status: 400 };
  if (!form.Body) return { code: 21602, message: "Message body is required.", status: 400 };
  if ([...form.Body].length > BODY_MAX) {
    return {
      code: 21617,
      message: "The concatenated message body exceeds the 1600 character limit.",
      status: 400,
    };
  }
  return null;
}

function callProblem(form: Record<string, string>): TwilioError | null {
  if (!form.To) return { code: 21201, message: "No 'To' number is specified", status: 400 };
  if (!E164.test(form.To))
    return { code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.`, status: 400 };
  if (!form.From) return { code: 21213, message: "No 'From' number is specified", status: 400 };
  if (!form.Twiml && !form.Url) return { code: 21205, message: "Url parameter is required.", status: 400 };
  if (form.Twiml) {
    if (form.Twiml.length > TWIML_MAX)
      return { code: 21232, message: "Twiml parameter exceeds 4000 characters.", status: 400 };
    if (!/^\s*(<\?xml[^>]*\?>\s*)?<Response>[\s\S]*<\/Response>\s*$/.test(form.Twiml))
      return { code: 12100, message: "Document parse failure.", status: 400 };
  }
  return null;
}

export async function startFakeTwilio(
  options: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? sid("AC");
  const authToken = options.authToken ?? randomBytes(16).toString("hex");
  const from = "+15005550006";
  const requests: TwilioRequest[] = [];
  const messages: TwilioMessage[] = [];
  const calls: TwilioCall[] = [];
  const canned = new Map<string, TwilioAnswer[]>();
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const raw = Buffer.concat(chunks).toString("utf8");
      const formType = String(req.headers["content-type"] ?? "").startsWith(
        "application/x-www-form-urlencoded",
      );
      const form = formType ? Object.fromEntries(new URLSearchParams(raw)) : {};
      const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
        requests.push({ method: req.method ?? "", path, headers: req.headers, form, status });
        sendJson(res, status, body, headers);
      };

      const match = PATH.exec(path);
      if (!match) {
        return answer(
          404,
          errorBody({ code: 20404, message: `The requested resource ${path} was not found`, status: 404 }),
        );
      }
      if (req.method !== "POST") {
        return answer(405, errorBody({ code: 20004, message: "Method not allowed", status: 405 }));
      }
      const [, pathSid, resource] = match as unknown as [string, string, "Messages" | "Calls"];
      if (req.headers.authorization !== expectedAuth || pathSid !== accountSid) {
        return answer(401, errorBody({ code: 20003, message: "Authenticate", status: 401 }), {
          "www-authenticate": 'Basic realm="Twilio API"',
        });
      }
      const next = canned.get(resource)?.shift();
      if (next) {
        const headers: Record<string, string> = next.retryAfter
          ? { "retry-after": String(next.retryAfter) }
          : {};
        const [code, message] =
          next.status === 429
            ? [20429, "Too Many Requests"]
            : next.status < 500
              ? [21610, "Attempt to send to unsubscribed recipient"]
              : [20500, "An internal server error has occurred"];
        return answer(next.status, errorBody({ code, message, status: next.status }), headers);
      }
      const problem = resource === "Messages" ? messageProblem(form) : callProblem(form);
      if (problem) return answer(problem.status, errorBody(problem));

      const created = new Date().toUTCString().replace("GMT", "+0000");
      if (resource === "Messages") {
        const message = { sid: sid("SM"), to: form.To!, from: form.From!, body: form.Body! };
        messages.push(message);
        return answer(201, {
          sid: message.sid,
          account_sid: accountSid,
          to: message.to,
          from: message.from,
          body: message.body,
          status: "queued",
          num_segments: String(Math.ceil([...message.body].length / 153) || 1),
          num_media: "0",
          direction: "outbound-api",
          api_version: "2010-04-01",
          date_created: created,
          date_updated: created,
          date_sent: null,
          error_code: null,
          error_message: null,
          price: null,
          price_unit: "USD",
          messaging_service_sid: null,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
          subresource_uris: {
            media: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}/Media.json`,
          },
        });
      }
      const call = {
        sid: sid("CA"),
        to: form.To!,
        from: form.From!,
        twiml: form.Twiml ?? null,
        url: form.Url ?? null,
      };
      calls.push(call);
      return answer(201, {
        sid: call.sid,
        account_sid: accountSid,
        to: call.to,
        to_formatted: call.to,
        from: call.from,
        from_formatted: call.from,
        status: "queued",
        direction: "outbound-api",
        api_version: "2010-04-01",
        date_created: created,
        date_updated: created,
        start_time: null,
        end_time: null,
        duration: null,
        price: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}.json`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    from,
    requests,
    messages,
    calls,
    behave(resource, answers) {
      canned.set(resource, [...(canned.get(resource) ?? []), ...answers]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
