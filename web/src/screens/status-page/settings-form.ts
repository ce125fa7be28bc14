import { isTimeZone } from "../../lib/zoned-time";
import type { PageSettings } from "./queries";

/**
 * The page's settings as the form holds them (text, "" for none), checked
 * with the server's rules and words, and sent as a patch of what changed, so
 * the plan's YAML gains only the lines someone meant to write.
 */
export const MAX_LINKS = 8;
export const COLOR = /^#[0-9a-fA-F]{6}$/;
export const SETTINGS_FIELDS = ["name", "description", "logoUrl", "brandColor", "timezone", "links"] as const;

export interface LinkRow {
  key: string;
  label: string;
  url: string;
}

export interface SettingsForm {
  name: string;
  description: string;
  logoUrl: string;
  brandColor: string;
  /** "" for the organization's time zone. */
  timezone: string;
  links: LinkRow[];
}

export interface SettingsPatch {
  name?: string;
  description?: string | null;
  logoUrl?: string | null;
  brandColor?: string;
  timezone?: string | null;
  links?: Array<{ label: string; url: string }>;
}

export function formOf(settings: PageSettings): SettingsForm {
  return {
    name: settings.name,
    description: settings.description ?? "",
    logoUrl: settings.logoUrl ?? "",
    brandColor: settings.brandColor,
    timezone: settings.timezone,
    links: settings.links.map((link, i) => ({ key: `existing:${i}`, ...link })),
  };
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** What the form can tell before asking the server, by the server's paths (`links.2.url`). */
export function checkSettings(form: SettingsForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = form.name.trim();
  if (!name) errors.name = "give the page a name";
  else if (name.length > 100) errors.name = "at most 100 characters";
  if (form.description.trim().length > 500) errors.description = "at most 500 characters";
  if (form.logoUrl.trim() && !isHttpUrl(form.logoUrl)) errors.logoUrl = "use an http(s) URL of an image";
  if (!COLOR.test(form.brandColor.trim())) errors.brandColor = "write a colour as #rrggbb, such as #1f5fbf";
  if (form.timezone.trim() && !isTimeZone(form.timezone.trim()))
    errors.timezone = "use a time zone name such as Europe/Lisbon or America/New_York";
  if (form.links.length > MAX_LINKS) errors.links = `at most ${MAX_LINKS} links`;
  form.links.forEach((link, i) => {
    const label = link.label.trim();
    if (!label) errors[`links.${i}.label`] = "give the link a label";
    else if (label.length > 60) errors[`links.${i}.label`] = "at most 60 characters";
    if (!isHttpUrl(link.url)) errors[`links.${i}.url`] = "use an http(s) URL";
  });
  return errors;
}

function linksOf(form: SettingsForm) {
  return form.links.map((link) => ({ label: link.label.trim(), url: link.url.trim() }));
}

/** The body of PUT /api/v1/statuspage/settings: only what changed; emptied fields become null (removed). */
export function settingsPatch(initial: SettingsForm, form: SettingsForm): SettingsPatch {
  const patch: SettingsPatch = {};
  const text = (value: string) => value.trim();
  if (text(form.name) !== text(initial.name)) patch.name = text(form.name);
  if (text(form.description) !== text(initial.description))
    patch.description = text(form.description) || null;
  if (text(form.logoUrl) !== text(initial.logoUrl)) patch.logoUrl = text(form.logoUrl) || null;
  if (text(form.brandColor).toLowerCase() !== text(initial.brandColor).toLowerCase())
    patch.brandColor = text(form.brandColor).toLowerCase();
  if (text(form.timezone) !== text(initial.timezone)) patch.timezone = text(form.timezone) || null;
  if (JSON.stringify(linksOf(form)) !== JSON.stringify(linksOf(initial))) patch.links = linksOf(form);
  return patch;
}

/**
 * The form's field for an issue's path: schema errors say `body.brandColor`,
 * the plan's own checks say `status_page.brand_color`.
 */
export function settingsFieldOf(path: string): string {
  const plan = /^status_page\.(\w+)(.*)$/.exec(path);
  if (!plan) return path.replace(/^body\./, "");
  const camel = (plan[1] ?? "").replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return `${camel}${plan[2] ?? ""}`;
}
