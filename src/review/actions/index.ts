/**
 * Action items: what an incident's team agrees to change so it does not
 * happen again, with an owner, a priority from the plan, a due date,
 * reminders, and the overdue lists per owner and team.
 */
export { createActionItem, deleteActionItem, getActionItem, updateActionItem } from "./change.ts";
export { listActionItems, listIncidentActionItems } from "./list.ts";
export * from "./model.ts";
export { ACTION_REMIND_JOB, actionReminderHandler, checkActionItems, reminderStage } from "./reminders.ts";
