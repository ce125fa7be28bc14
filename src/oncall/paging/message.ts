import { codePointCount, shorten } from "../../comms/measure.ts";
import { escapeHtml } from "../../shared/html.ts";

/**
 * What a page says, for every way it reaches someone. Pure. A private
 * incident's title is left out: pages pass through mail servers, phone
 * networks and push services, and only the people in it may know what it is.
 */
export interface PageFacts {
  organizationName: string;
  reference: string;
  /** null for a private incident. */
  title: string | null;
  severityName: string;
  roleName: string;
  /** "primary contact", "backup contact", "Engineering leadership, step 1 of 2". */
  stageLabel: string;
  drill: boolean;
  /** The incident in the web app. */
  incidentUrl: string;
  /** The signed one-click acknowledgement page. */
  ackUrl: string;
  ackExpiresAt: string;
  pageId: string;
}

export interface PageMessage {
  /** Email subject, push title. */
  subject: string;
  /** Email and chat text, with both links. */
  text: string;
  html: string;
  /** One SMS: at most 480 characters (three segments), the link whole. */
  sms: string;
  /** What a voice call says. */
  speech: string;
}

const SMS_MAX = 480;
const TITLE_MAX = 200;

function what(f: PageFacts): string {
  const title = f.title === null ? "a private incident" : `"${shorten(f.title, TITLE_MAX, codePointCount)}"`;
  return `${f.reference} (${f.severityName}): ${title}`;
}

export function composePage(f: PageFacts): PageMessage {
  const drill = f.drill ? "[DRILL] " : "";
  // The title last: where a subject is cut, it is the title that goes.
  const subject = `${drill}Page: ${f.reference} (${f.severityName}) as ${f.roleName}: ${f.title === null ? "a private incident" : shorten(f.title, TITLE_MAX, codePointCount)}`;
  const lines = [
    `${drill}${f.organizationName} is paging you as ${f.roleName} (${f.stageLabel}) for ${what(f)}.`,
    "",
    `Acknowledge: ${f.ackUrl}`,
    `(the link works until ${f.ackExpiresAt}; you can also acknowledge in Runsheet or with: runsheet page ack ${f.pageId})`,
    "",
    `The incident: ${f.incidentUrl}`,
  ];
  const text = lines.join("\n");
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:640px">',
    `<p>${escapeHtml(lines[0]!)}</p>`,
    `<p><a href="${escapeHtml(f.ackUrl)}" style="display:inline-block;padding:.6em 1.2em;background:#1f5fbf;color:#fff;text-decoration:none;border-radius:4px">Acknowledge</a></p>`,
    `<p style="color:#555;font-size:90%">The link works until ${escapeHtml(f.ackExpiresAt)}. You can also acknowledge in Runsheet or with <code>runsheet page ack ${escapeHtml(f.pageId)}</code>.</p>`,
    `<p><a href="${escapeHtml(f.incidentUrl)}">${escapeHtml(f.incidentUrl)}</a></p>`,
    "</body></html>",
  ].join("\n");
  // The link is what the SMS is for: the title gives way first.
  const smsTail = ` Ack: ${f.ackUrl}`;
  const smsHead = `${drill}Runsheet page as ${f.roleName}: ${what(f)}.`;
  const room = SMS_MAX - codePointCount(smsTail);
  const sms = `${shorten(smsHead, Math.max(room, 20), codePointCount)}${smsTail}`;
  const spokenTitle = f.title === null ? "a private incident" : shorten(f.title, TITLE_MAX, codePointCount);
  const speech = `${f.drill ? "This is a drill. " : ""}This is Runsheet, paging you for ${f.organizationName}. Incident ${f.reference.replace("-", " ")}, severity ${f.severityName}: ${spokenTitle}. You are needed as ${f.roleName}. Please acknowledge in Runsheet, or with the link in the message we sent you.`;
  return { subject, text, html, sms, speech };
}

/** TwiML that says the page twice; every piece of text is XML-escaped. */
export function pageTwiml(speech: string): string {
  const said = escapeHtml(speech);
  return `<Response><Say>${said}</Say><Pause length="2"/><Say>${said}</Say></Response>`;
}
