/**
 * For tests: read iCalendar and MIME the way a calendar app and a mail client
 * would, written independently of the code that produces them.
 */

export interface IcsProperty {
  name: string;
  params: string[];
  value: string;
}

/** Unfolds the lines and splits each into name, parameters and value. Throws on bare CR or LF. */
export function parseIcs(ics: string): IcsProperty[] {
  if (!ics.endsWith("\r\n")) throw new Error("iCalendar must end with CRLF");
  if (/[\r\n]/.test(ics.replace(/\r\n/g, ""))) throw new Error("bare CR or LF in iCalendar");
  return ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean)
    .map((line) => {
      // The value starts at the first colon outside a quoted parameter value.
      let quoted = false;
      let at = -1;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '"') quoted = !quoted;
        else if (line[i] === ":" && !quoted) {
          at = i;
          break;
        }
      }
      if (at < 0) throw new Error(`no value in line: ${line}`);
      const [name, ...params] = line.slice(0, at).match(/(?:[^;"]|"[^"]*")+/g) ?? [];
      return { name: name ?? "", params: params.map((p) => p.trim()), value: line.slice(at + 1) };
    });
}

export function icsValues(ics: string | IcsProperty[], name: string): string[] {
  const props = typeof ics === "string" ? parseIcs(ics) : ics;
  return props.filter((p) => p.name === name).map((p) => p.value);
}

export function unescapeIcsText(text: string): string {
  return text.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  /** The decoded body (quoted-printable and base64 undone). */
  body: string;
}

/** Every leaf part of a MIME message, depth first. */
export function mimeParts(raw: string): MimePart[] {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const rest = split < 0 ? "" : raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  const contentType = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith("multipart/") && boundary) {
    const sections = rest.split(`--${boundary}`).slice(1);
    return sections
      .filter((section) => !section.startsWith("--"))
      .flatMap((section) => mimeParts(section.replace(/^\r?\n/, "")));
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  // The line break before the next boundary belongs to the boundary, not to the body.
  const content = rest.replace(/\r?\n$/, "");
  const body =
    encoding === "base64"
      ? Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? Buffer.from(
            content
              .replace(/=\r?\n/g, "")
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            "latin1",
          ).toString("utf8")
        : content;
  return [{ headers, contentType, body }];
}
