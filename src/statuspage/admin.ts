import { parseDocument } from "yaml";
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { getPlanVersion, replacePlan } from "../plan/versions.ts";
import { groupId } from "./load.ts";

/**
 * The page's settings and its components live in the plan (`status_page:` and
 * `components:`), so the file in git stays the one source. Changing them
 * through the API edits those sections of the current plan's YAML, keeping
 * every comment elsewhere, and saves the result as a new plan version.
 */
const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "write a colour as #rrggbb, such as #1f5fbf");
const HttpUrl = z.url({ protocol: /^https?$/, error: "use an http(s) URL" });

export const PageSettingsInput = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  logoUrl: HttpUrl.nullable().optional(),
  brandColor: Color.optional(),
  timezone: z.string().min(1).max(100).nullable().optional(),
  links: z
    .array(z.strictObject({ label: z.string().trim().min(1).max(60), url: HttpUrl }))
    .max(8)
    .optional(),
});

export const PageSettings = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    logoUrl: z.string().nullable(),
    brandColor: z.string(),
    timezone: z.string(),
    links: z.array(z.object({ label: z.string(), url: z.string() })),
  })
  .meta({ id: "PageSettings" });
export type PageSettings = z.infer<typeof PageSettings>;

const ComponentId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit",
  );

export const PageComponentInput = z.strictObject({
  id: ComponentId,
  name: z.string().trim().min(1).max(100),
  group: z.string().trim().min(1).max(100).nullable().optional(),
  description: z.string().trim().max(500).nullable().optional(),
  showUptime: z.boolean().optional(),
  onlyShowIfDegraded: z.boolean().optional(),
});

export const ComponentsInput = z
  .strictObject({ components: z.array(PageComponentInput).max(200) })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.components.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({ code: "custom", path: ["components", i, "id"], message: `"${c.id}" is listed twice` });
      seen.add(c.id);
    });
  });

export const PageComponentView = z
  .object({
    id: z.string(),
    name: z.string(),
    group: z.string().nullable(),
    groupId: z.string().nullable(),
    description: z.string().nullable(),
    showUptime: z.boolean(),
    onlyShowIfDegraded: z.boolean(),
  })
  .meta({ id: "PageComponentSetting" });

export function pageSettings(ctx: Pick<Ctx, "plans">): PageSettings {
  const { plan } = ctx.plans.current();
  const s = plan.status_page;
  return {
    name: s.name ?? plan.organization.name,
    description: s.description ?? null,
    logoUrl: s.logo_url ?? null,
    brandColor: s.brand_color,
    timezone: s.timezone ?? plan.organization.timezone,
    links: s.links,
  };
}

export function pageComponents(ctx: Pick<Ctx, "plans">): Array<z.infer<typeof PageComponentView>> {
  return ctx.plans.current().plan.components.map((c) => ({
    id: c.id,
    name: c.name,
    group: c.group ?? null,
    groupId: c.group ? groupId(c.group) : null,
    description: c.description ?? null,
    showUptime: c.show_uptime,
    onlyShowIfDegraded: c.only_show_if_degraded,
  }));
}

async function editPlan(ctx: Ctx, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const current = ctx.plans.current();
  const { yaml } = await getPlanVersion(ctx.store.db, current.version);
  const doc = parseDocument(yaml);
  edit(doc);
  await replacePlan(ctx, doc.toString({ lineWidth: 0 }));
  ctx.events.pageChanged();
}

export async function updatePageSettings(
  ctx: Ctx,
  input: z.output<typeof PageSettingsInput>,
): Promise<PageSettings> {
  const fields: Array<[keyof typeof input, string]> = [
    ["name", "name"],
    ["description", "description"],
    ["logoUrl", "logo_url"],
    ["brandColor", "brand_color"],
    ["timezone", "timezone"],
    ["links", "links"],
  ];
  await editPlan(ctx, (doc) => {
    for (const [from, to] of fields) {
      const value = input[from];
      if (value === undefined) continue;
      if (value === null) doc.deleteIn(["status_page", to]);
      else doc.setIn(["status_page", to], doc.createNode(value));
    }
  });
  return pageSettings(ctx);
}

export async function replaceComponents(ctx: Ctx, input: z.output<typeof ComponentsInput>) {
  await editPlan(ctx, (doc) => {
    const list = input.components.map((c) => ({
      id: c.id,
      name: c.name,
      ...(c.group ? { group: c.group } : {}),
      ...(c.description ? { description: c.description } : {}),
      ...(c.showUptime === false ? { show_uptime: false } : {}),
      ...(c.onlyShowIfDegraded ? { only_show_if_degraded: true } : {}),
    }));
    doc.set("components", doc.createNode(list));
  });
  return pageComponents(ctx);
}
