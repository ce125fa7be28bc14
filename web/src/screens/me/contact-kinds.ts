import type { ContactMethod } from "../../api/types";

export type ContactKind = ContactMethod["kind"];

/** The kinds of contact method, in the order offered, with how the address is written. */
export const CONTACT_KINDS: ReadonlyArray<{
  kind: ContactKind;
  name: string;
  input: "email" | "url" | "tel";
  hint: string;
}> = [
  { kind: "email", name: "Email", input: "email", hint: "An email address, such as ana@example.com." },
  {
    kind: "sms",
    name: "SMS",
    input: "tel",
    hint: "A mobile number with its country code, such as +351912345678. Needs the server's SMS provider.",
  },
  {
    kind: "voice",
    name: "Voice call",
    input: "tel",
    hint: "A phone number with its country code, such as +351912345678. The call reads the page twice.",
  },
  {
    kind: "ntfy",
    name: "ntfy push",
    input: "url",
    hint: "The server and your topic, such as https://ntfy.sh/my-pages-3f9a; the notification has an Acknowledge button.",
  },
  {
    kind: "chat_webhook",
    name: "Chat webhook",
    input: "url",
    hint: "An incoming webhook URL (Slack, Mattermost, Discord, …) that takes {text}.",
  },
  {
    kind: "webhook",
    name: "Signed webhook",
    input: "url",
    hint: "A URL that receives a signed JSON event; its signing secret is shown once.",
  },
];

export function kindName(kind: ContactKind): string {
  return CONTACT_KINDS.find((k) => k.kind === kind)?.name ?? kind;
}

/** A method as people say it: "SMS +351912345678 (work phone)". */
export function describeMethod(method: Pick<ContactMethod, "kind" | "address" | "label">): string {
  const label = method.label && method.label !== method.address ? ` (${method.label})` : "";
  return `${kindName(method.kind)} ${method.address}${label}`;
}
