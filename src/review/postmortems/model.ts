import { z } from "zod";
import { UserRef } from "../../incidents/model.ts";
import { MARKDOWN_MAX } from "../../shared/markdown.ts";

/** The postmortem's shapes as the API speaks them, and the inputs of its verbs. */

export const POSTMORTEM_STATUSES = ["draft", "in_review", "published"] as const;
export const PostmortemStatus = z.enum(POSTMORTEM_STATUSES);
export type PostmortemStatus = z.infer<typeof PostmortemStatus>;

export const PUBLIC_STATUSES = ["none", "draft", "published"] as const;

/** The internal document moves draft → in_review → published, and back from in_review to draft. */
export const NEXT_STATUSES: Record<PostmortemStatus, PostmortemStatus[]> = {
  draft: ["in_review"],
  in_review: ["draft", "published"],
  published: [],
};

const Markdown = z
  .string()
  .max(MARKDOWN_MAX, `keep it under ${MARKDOWN_MAX.toLocaleString("en")} characters`)
  .meta({ description: "Markdown (GitHub flavoured). Raw HTML is allowed but sanitized when rendered." });
const Version = z.number().int().min(1).meta({
  description: "The postmortem's version you read: the change is refused (409) if it moved on since.",
});

export const EditPostmortemInput = z.strictObject({ body: Markdown, version: Version });
export type EditPostmortemInput = z.output<typeof EditPostmortemInput>;

export const PostmortemStatusInput = z.strictObject({
  status: PostmortemStatus,
  version: Version.optional(),
});
export type PostmortemStatusInput = z.output<typeof PostmortemStatusInput>;

export const PublicVersionInput = z.strictObject({
  title: z
    .string()
    .trim()
    .min(1, "give the public postmortem a title")
    .max(200, "keep the title under 200 characters"),
  body: Markdown.refine((text) => text.trim() !== "", "write the public postmortem"),
  version: Version,
});
export type PublicVersionInput = z.output<typeof PublicVersionInput>;

export const PublishPublicInput = z.strictObject({ version: Version.optional() });
export type PublishPublicInput = z.output<typeof PublishPublicInput>;

export const MarkdownPreviewInput = z.strictObject({ markdown: Markdown });

export const Postmortem = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    reference: z.string().meta({ example: "INC-42" }),
    status: PostmortemStatus,
    body: z.string().meta({ description: "The Markdown as written." }),
    html: z
      .string()
      .meta({ description: "The body rendered and sanitized: show this, never the Markdown as HTML." }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: UserRef.nullable(),
    publishedAt: z.string().nullable().meta({ description: "When the internal document was published." }),
    public: z
      .object({
        status: z.enum(PUBLIC_STATUSES),
        title: z.string().nullable(),
        body: z.string().nullable(),
        html: z.string().nullable(),
        publishedAt: z.string().nullable(),
        url: z
          .string()
          .nullable()
          .meta({ description: "Where it is shown on the public status page, once published." }),
      })
      .meta({ description: "The customer-facing version, shown on the status page once published." }),
    decision: z
      .object({
        publicPostmortem: z.boolean().nullable(),
        reason: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "The review's decision on a public postmortem, when there is a review." }),
  })
  .meta({ id: "Postmortem" });
export type Postmortem = z.infer<typeof Postmortem>;
