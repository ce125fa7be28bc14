import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import { GiveUp } from "../../jobs/retry.ts";
import { escapeHtml, safeHref } from "../../shared/html.ts";
import { codePointCount, shorten } from "../measure.ts";
import type { ChannelAdapter, MessageFacts } from "./types.ts";

/**
 * Email over SMTP (nodemailer), to a channel's own list (`to`) or to the
 * status page's email subscribers. Each incident's emails form one thread per
 * recipient (In-Reply-To / References the first one), and subscribers get
 * RFC 8058 one-click unsubscribe headers.
 */
const EmailSettings = z.object({
  from: z.string().min(3),
  reply_to: z.string().min(3).optional(),
  to: z.array(z.email()).min(1).optional(),
  smtp_host: z.string().min(1),
  smtp_port: z.coerce.number().int().min(1).max(65_535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  smtp_secure: z.boolean().optional(),
  smtp_username: z.string().optional(),
  smtp_password: z.string().optional(),
  /** Refuse to send without STARTTLS. */
  smtp_require_tls: z.boolean().default(false),
});
export type EmailSettings = z.infer<typeof EmailSettings>;

const SUBJECT_MAX = 200;
const BODY_MAX = 100_000;

function footerLines(facts: MessageFacts): string[] {
  const components = facts.incident.components
    .map((c) => `${c.name} (${c.impact.replaceAll("_", " ")})`)
    .join(", ");
  return [
    `${facts.incident.reference} · ${facts.incident.severityName} · ${facts.phase}`,
    ...(components ? [`Affected: ${components}`] : []),
    facts.incident.url,
  ];
}

export const emailAdapter: ChannelAdapter<EmailSettings> = {
  type: "email",
  settings: EmailSettings,
  render(facts) {
    const drill = facts.incident.drill ? "[DRILL] " : "";
    const subject = shorten(`${drill}${facts.subject}`, SUBJECT_MAX, codePointCount);
    const body = shorten(facts.body, BODY_MAX, codePointCount, facts.incident.url);
    const footer = footerLines(facts);
    const text = `${drill}${body}\n\n--\n${footer.join("\n")}`;
    const link = safeHref(facts.incident.url);
    const html = [
      '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:640px">',
      ...`${drill}${body}`.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replaceAll("\n", "<br>")}</p>`),
      "<hr>",
      `<p style="color:#555;font-size:90%">${footer
        .slice(0, -1)
        .map(escapeHtml)
        .join(
          "<br>",
        )}<br>${link ? `<a href="${escapeHtml(link)}">${escapeHtml(facts.incident.url)}</a>` : escapeHtml(facts.incident.url)}</p>`,
      "</body></html>",
    ].join("\n");
    return {
      text,
      subject,
      html,
      payload: { subject, text, html },
      length: codePointCount(body),
      fullLength: codePointCount(facts.body),
      limit: { max: BODY_MAX, unit: "characters" },
      shortened: body !== facts.body || subject !== `${drill}${facts.subject}`,
    };
  },
  async deliver(_ctx, attempt, settings) {
    const to = attempt.target.address;
    if (!to) throw new GiveUp("An email delivery needs a recipient address.");
    const { subject, text, html, calendar } = attempt.rendering.payload as {
      subject: string;
      text: string;
      html: string;
      /** A meeting invite (post-incident review): a text/calendar alternative and an .ics attachment. */
      calendar?: { method: string; content: string; filename: string };
    };
    const host = settings.from.replace(/^.*@/, "").replace(/>.*$/, "") || "runsheet.invalid";
    const messageId = `<${attempt.deliveryId}@${host}>`;
    const unsubscribe = attempt.target.unsubscribeUrl;
    const headers: Record<string, string> = unsubscribe
      ? { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
      : {};
    const thread = attempt.thread?.providerMessageId;
    try {
      await transportFor(settings).sendMail({
        from: settings.from,
        to,
        ...(settings.reply_to ? { replyTo: settings.reply_to } : {}),
        subject,
        text: unsubscribe ? `${text}\nUnsubscribe: ${unsubscribe}` : text,
        html: unsubscribe
          ? html.replace(
              "</body>",
              `<p style="color:#555;font-size:85%"><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p></body>`,
            )
          : html,
        messageId,
        ...(thread ? { inReplyTo: thread, references: [thread] } : {}),
        ...(calendar ? { icalEvent: calendar } : {}),
        headers,
      });
    } catch (error) {
      throw smtpFailure(error);
    }
    return { providerMessageId: messageId };
  },
};

/** 5xx SMTP replies are permanent (no such mailbox, refused); everything else is retried. */
function smtpFailure(error: unknown): Error {
  const e = error as { responseCode?: number; response?: string; message?: string };
  const message = `SMTP: ${e.response ?? e.message ?? String(error)}`;
  return e.responseCode !== undefined && e.responseCode >= 500 ? new GiveUp(message) : new Error(message);
}

// One pooled SMTP connection set per server and account, reused by every delivery.
const transports = new Map<string, Transporter>();

function transportFor(settings: EmailSettings): Transporter {
  const key = JSON.stringify([
    settings.smtp_host,
    settings.smtp_port,
    settings.smtp_secure,
    settings.smtp_username,
    settings.smtp_password,
  ]);
  let transport = transports.get(key);
  if (!transport) {
    transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 10,
      maxMessages: 1_000,
      host: settings.smtp_host,
      port: settings.smtp_port,
      secure: settings.smtp_secure ?? settings.smtp_port === 465,
      requireTLS: settings.smtp_require_tls,
      ...(settings.smtp_username
        ? { auth: { user: settings.smtp_username, pass: settings.smtp_password ?? "" } }
        : {}),
      connectionTimeout: 15_000,
      socketTimeout: 30_000,
    });
    transports.set(key, transport);
  }
  return transport;
}

export function closeEmailTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}
