export {
  acceptProposal,
  acknowledgeAlert,
  dismissProposal,
  getAlert,
  listAlerts,
  resolveAlert,
} from "./alerts.ts";
export { type IntakeItem, type ItemOutcome, processEvents } from "./apply.ts";
export { ATTACHED_KIND, REPORT_ATTACHED_JOB } from "./attached.ts";
export { AlertmanagerWebhook, GrafanaWebhook, webhookEvents } from "./formats/alertmanager.ts";
export { GenericBody, genericEvents, parseGenericBody } from "./formats/generic.ts";
export {
  accepted,
  invalidEvent,
  type PagerDutyParse,
  parsePagerDutyEvent,
  throttled,
} from "./formats/pagerduty.ts";
export { CHECK_HEARTBEAT_JOB, heartbeatDedupKey, recordHeartbeat } from "./heartbeat.ts";
export { AlertIntake, type AlertIntakeOptions, KeyRateLimiter } from "./intake.ts";
export {
  createIntegration,
  disableIntegration,
  IntegrationKeys,
  intakeUrl,
  KEY_PATTERN,
  listIntegrations,
} from "./integrations.ts";
export { alertHandlers } from "./jobs.ts";
export { matchesCriterion, matchingCriterion } from "./match.ts";
export * from "./model.ts";
