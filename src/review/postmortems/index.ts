/**
 * The blameless postmortem: drafted from the incident, edited as Markdown
 * (draft → in review → published), with a separate public version that is
 * published on the status page and sent to its subscribers, and exports.
 */
export { createPostmortem } from "./create.ts";
export { type DraftSection, draftPostmortem } from "./draft.ts";
export { changePostmortemStatus, editPostmortem, getPostmortem } from "./edit.ts";
export { type ExportFormat, type ExportVersion, exportPostmortem, type PostmortemExport } from "./export.ts";
export { loadPostmortemFacts, type PostmortemFacts } from "./facts.ts";
export * from "./model.ts";
export { POSTMORTEM_NOTICE_JOB, postmortemNoticeHandler } from "./notices.ts";
export { publishPublicVersion, savePublicVersion } from "./public.ts";
export { renderPostmortemMarkdown } from "./render.ts";
export { incidentPageUrl, type PostmortemCtx } from "./repository.ts";
