import { fileURLToPath } from "node:url";

/**
 * The plan module's public face: the sheet as data (schema), read and checked
 * (parsePlan, loadPlanFile), filled into messages (templates) and printed
 * (Markdown, HTML). Other modules import from here, not from the files behind it.
 */
export { durationInWords, parseDuration } from "./duration.ts";
export { planJsonSchema, planJsonSchemaText, SCHEMA_FILE_PATH } from "./json-schema.ts";
export { type LoadedPlan, loadPlanFile } from "./load.ts";
export { renderPlanHtml } from "./render-html.ts";
export { renderPlanMarkdown } from "./render-markdown.ts";
export * from "./schema.ts";
export { CHANNEL_SECRET_KEY } from "./secrets.ts";
export {
  renderTemplate,
  TEMPLATE_VARIABLE_NAMES,
  TEMPLATE_VARIABLES,
  type TemplateVariable,
  templateVariablesIn,
} from "./template.ts";
export { formatPlanErrors, type PlanError, type PlanResult, parsePlan } from "./validate.ts";

/** The example plan shipped with Runsheet: a starting point, and the default plan for tests and demos. */
export const EXAMPLE_PLAN_PATH = fileURLToPath(new URL("../../examples/runsheet.yaml", import.meta.url));
