/**
 * Paging: people's contact methods and notification rules, escalations that
 * page a role's contacts stage by stage at declaration, acknowledgement (in
 * the app, the API, the CLI, or one click from the message), and the jobs that
 * send pages and move escalations on.
 */

export { ACK_LINK_TTL_MS, ackLink, ackLinkKey, checkAckLink } from "./ack-link.ts";
export { acknowledgeByLink, acknowledgePage, pageByLink } from "./acknowledge.ts";
export {
  addContactMethod,
  getNotificationRules,
  listContactMethods,
  removeContactMethod,
  setNotificationRules,
} from "./contact-methods.ts";
export { ESCALATE_JOB, escalate, NOTIFY_JOB, startPaging } from "./escalate.ts";
export { escalationTimer, pagingHandlers } from "./jobs.ts";
export * from "./model.ts";
export { PAGE_RETRIES } from "./notify.ts";
export { contactResolver } from "./on-call.ts";
export { getPage, listEscalations, listPages } from "./pages.ts";
export { stopPaging } from "./stop.ts";
