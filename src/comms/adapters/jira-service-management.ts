import { z } from "zod";
import { shorten } from "../measure.ts";
import {
  answer,
  BaseUrl,
  basicAuth,
  expectDelivered,
  fitText,
  jsonHeaders,
  NumericId,
  postText,
  rendering,
  Secret,
  send,
  storedPayload,
  ticketSubject,
} from "./social-common.ts";
import type { ChannelAdapter } from "./types.ts";

/**
 * Jira Service Management: one customer request per incident, then a public
 * comment on it per update (Service Desk REST API, Basic auth with the
 * account's email and an API token).
 *
 * Threading: creating the request returns its issueId and issueKey; the key
 * is the providerMessageId (what people read) and the id the threadId, which
 * later comments use (`/request/{issueIdOrKey}/comment`) because a key changes
 * when someone moves the request to another project and the id never does.
 *
 * Rendering: the subject becomes the summary, the update's text the
 * description of the request and, for later updates, the comment.
 */

/** Jira refuses a summary over 255 characters. */
const SUMMARY_MAX = 255;
/** Jira's limit for text fields (description, comment body). */
const TEXT_MAX = 32_767;

/**
 * Jira (Java) counts a string's UTF-16 code units, so here `.length` is the
 * provider's own measure: an emoji counts 2.
 */
function javaLength(text: string): number {
  return text.length;
}

export const JiraServiceManagementSettings = z
  .strictObject({
    base_url: BaseUrl,
    service_desk_id: NumericId,
    request_type_id: NumericId,
    email: z.email("write the Atlassian account's email address"),
    api_token: Secret,
  })
  .transform((s) => ({
    baseUrl: s.base_url,
    serviceDeskId: s.service_desk_id,
    requestTypeId: s.request_type_id,
    authorization: basicAuth(s.email, s.api_token),
  }));
export type JiraServiceManagementSettings = z.output<typeof JiraServiceManagementSettings>;

const JiraPayload = z.strictObject({
  serviceDeskId: z.string(),
  requestTypeId: z.string(),
  requestFieldValues: z.strictObject({ summary: z.string().min(1), description: z.string() }),
});

const CreatedRequest = z.object({ issueId: z.coerce.string().min(1), issueKey: z.string().min(1) });
const CreatedComment = z.object({ id: z.coerce.string().min(1) });

export const jiraServiceManagementAdapter: ChannelAdapter<JiraServiceManagementSettings> = {
  type: "jira-service-management",
  settings: JiraServiceManagementSettings,

  render(facts, settings) {
    const fullSubject = ticketSubject(facts);
    const subjectCut = javaLength(fullSubject) > SUMMARY_MAX;
    const summary = subjectCut ? shorten(fullSubject, SUMMARY_MAX, javaLength) : fullSubject;
    // A summary that had to be cut is repeated whole above the text, so no word is lost.
    const full = subjectCut ? `${fullSubject}\n\n${postText(facts)}` : postText(facts);
    const fitted = fitText(full, facts, { max: TEXT_MAX, unit: "characters" }, javaLength);
    return rendering(
      fitted,
      {
        serviceDeskId: settings.serviceDeskId,
        requestTypeId: settings.requestTypeId,
        requestFieldValues: { summary, description: fitted.text },
      },
      summary,
    );
  },

  async deliver(ctx, attempt, settings) {
    const payload = storedPayload(attempt.rendering, "Jira Service Management", JiraPayload);
    const headers = jsonHeaders(settings.authorization);
    const issue = attempt.thread ? (attempt.thread.threadId ?? attempt.thread.providerMessageId) : undefined;
    if (issue) {
      const response = await send(
        ctx,
        "POST",
        `${settings.baseUrl}/rest/servicedeskapi/request/${encodeURIComponent(issue)}/comment`,
        headers,
        { body: payload.requestFieldValues.description, public: true },
      );
      const comment = await answer(
        await expectDelivered(response, "Jira Service Management", ctx.now()),
        "Jira Service Management",
        CreatedComment,
      );
      return { providerMessageId: comment.id, threadId: issue };
    }
    const response = await send(
      ctx,
      "POST",
      `${settings.baseUrl}/rest/servicedeskapi/request`,
      headers,
      payload,
    );
    const created = await answer(
      await expectDelivered(response, "Jira Service Management", ctx.now()),
      "Jira Service Management",
      CreatedRequest,
    );
    return { providerMessageId: created.issueKey, threadId: created.issueId };
  },
};
