import { z } from "zod";
import { utf8Length } from "../../src/comms/measure.ts";
import { type Fake, type FakeAnswer, isJson, type RecordedRequest, startFake } from "./social-providers.ts";

/**
 * Local stand-ins for Jira Service Management and Zendesk, built like the
 * social ones (test/fakes/social-providers.ts): requests checked as each
 * provider documents them, answers and errors as each provider gives them.
 */

function basic(request: RecordedRequest): string | null {
  const header = request.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return null;
  return Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
}

// ——— Jira Service Management ———

export interface FakeJira extends Fake {
  email: string;
  apiToken: string;
  serviceDeskId: string;
  requestTypeId: string;
  issues: Array<{
    issueId: string;
    issueKey: string;
    summary: string;
    description: string;
    comments: string[];
  }>;
}

const CreateRequest = z.strictObject({
  serviceDeskId: z.string(),
  requestTypeId: z.string(),
  requestFieldValues: z.strictObject({ summary: z.string(), description: z.string().optional() }),
});
const CreateComment = z.strictObject({ body: z.string(), public: z.boolean() });

function jiraError(status: number, errorMessage: string): FakeAnswer {
  return { status, body: { errorMessage, i18nErrorMessage: { i18nKey: "sd.fake.error", parameters: [] } } };
}

export async function startFakeJira(): Promise<FakeJira> {
  const email = "support-bot@example.com";
  const apiToken = "jsm-api-token";
  const serviceDeskId = "4";
  const requestTypeId = "27";
  const issues: FakeJira["issues"] = [];
  const fake = await startFake((request) => {
    if (basic(request) !== `${email}:${apiToken}`) return jiraError(401, "Client must be authenticated");
    if (request.method !== "POST") return jiraError(405, "Method not allowed");
    if (!isJson(request)) return jiraError(415, "Unsupported Media Type");
    if (request.path === "/rest/servicedeskapi/request") {
      const input = CreateRequest.safeParse(request.json);
      if (!input.success) return jiraError(400, input.error.message);
      const { summary, description = "" } = input.data.requestFieldValues;
      if (input.data.serviceDeskId !== serviceDeskId)
        return jiraError(404, "The service desk does not exist");
      if (input.data.requestTypeId !== requestTypeId)
        return jiraError(400, "The request type does not exist");
      if (!summary.trim()) return jiraError(400, "Summary: You must specify a summary of the issue.");
      if (summary.length > 255) return jiraError(400, "Summary: Summary must be less than 255 characters.");
      if (/[\r\n]/.test(summary)) return jiraError(400, "Summary: The summary must not contain line breaks.");
      if (description.length > 32_767) return jiraError(400, "Description: The entered text is too long.");
      const issueId = String(10_000 + issues.length + 1);
      const issueKey = `HELP-${issues.length + 1}`;
      issues.push({ issueId, issueKey, summary, description, comments: [] });
      return {
        status: 201,
        body: {
          issueId,
          issueKey,
          requestTypeId,
          serviceDeskId,
          currentStatus: { status: "Waiting for support" },
          _links: { web: `${fake.url}/servicedesk/customer/portal/4/${issueKey}` },
        },
      };
    }
    const comment = /^\/rest\/servicedeskapi\/request\/([^/]+)\/comment$/.exec(request.path);
    if (!comment) return jiraError(404, "Not found");
    const idOrKey = decodeURIComponent(comment[1]!);
    const issue = issues.find((i) => i.issueId === idOrKey || i.issueKey === idOrKey);
    if (!issue) return jiraError(404, "Request does not exist or you do not have permission to see it.");
    const input = CreateComment.safeParse(request.json);
    if (!input.success) return jiraError(400, input.error.message);
    if (!input.data.body.trim()) return jiraError(400, "Comment body must not be empty.");
    if (input.data.body.length > 32_767) return jiraError(400, "Comment: The entered text is too long.");
    issue.comments.push(input.data.body);
    const id = String(20_000 + issue.comments.length);
    return { status: 201, body: { id, body: input.data.body, public: input.data.public } };
  });
  return Object.assign(fake, { email, apiToken, serviceDeskId, requestTypeId, issues });
}

// ——— Zendesk ———

export interface FakeZendesk extends Fake {
  email: string;
  apiToken: string;
  tickets: Array<{ id: number; subject: string; comments: Array<{ body: string; public: boolean }> }>;
}

const Comment = z.strictObject({ body: z.string(), public: z.boolean().optional() });
const CreateTicket = z.strictObject({ ticket: z.strictObject({ subject: z.string(), comment: Comment }) });
const UpdateTicket = z.strictObject({ ticket: z.strictObject({ comment: Comment }) });

function recordInvalid(description: string): FakeAnswer {
  return {
    status: 422,
    body: {
      error: "RecordInvalid",
      description: "Record validation errors",
      details: { base: [{ description }] },
    },
  };
}

function commentProblem(body: string): string | null {
  if (!body.trim()) return "Comment: cannot be blank";
  if (utf8Length(body) > 64_000) return "Comment: is too long";
  return null;
}

export async function startFakeZendesk(): Promise<FakeZendesk> {
  const email = "support-bot@example.com";
  const apiToken = "zendesk-api-token";
  const tickets: FakeZendesk["tickets"] = [];
  const byIdempotencyKey = new Map<string, FakeAnswer>();
  const fake = await startFake((request) => {
    if (basic(request) !== `${email}/token:${apiToken}`) {
      return { status: 401, body: { error: "Couldn't authenticate you" } };
    }
    if (!isJson(request)) return { status: 415, body: { error: "Unsupported Media Type" } };
    if (request.method === "POST" && request.path === "/api/v2/tickets.json") {
      const key = request.headers["idempotency-key"];
      const earlier = typeof key === "string" ? byIdempotencyKey.get(key) : undefined;
      if (earlier) return { ...earlier, headers: { ...earlier.headers, "x-idempotency-lookup": "hit" } };
      const input = CreateTicket.safeParse(request.json);
      if (!input.success)
        return { status: 400, body: { error: "InvalidEndpoint", description: input.error.message } };
      const problem = commentProblem(input.data.ticket.comment.body);
      if (problem) return recordInvalid(problem);
      const id = 35_000 + tickets.length + 1;
      const { subject, comment } = input.data.ticket;
      tickets.push({ id, subject, comments: [{ body: comment.body, public: comment.public ?? true }] });
      const answer: FakeAnswer = {
        status: 201,
        headers: { location: `${fake.url}/api/v2/tickets/${id}.json`, "x-idempotency-lookup": "miss" },
        body: { ticket: { id, subject, description: comment.body, status: "new" } },
      };
      if (typeof key === "string") byIdempotencyKey.set(key, answer);
      return answer;
    }
    const update = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(request.path);
    if (request.method !== "PUT" || !update) return { status: 404, body: { error: "InvalidEndpoint" } };
    const ticket = tickets.find((t) => t.id === Number(update[1]));
    if (!ticket) return { status: 404, body: { error: "RecordNotFound", description: "Not found" } };
    const input = UpdateTicket.safeParse(request.json);
    if (!input.success)
      return { status: 400, body: { error: "InvalidEndpoint", description: input.error.message } };
    const problem = commentProblem(input.data.ticket.comment.body);
    if (problem) return recordInvalid(problem);
    ticket.comments.push({
      body: input.data.ticket.comment.body,
      public: input.data.ticket.comment.public ?? true,
    });
    return {
      status: 200,
      body: {
        ticket: { id: ticket.id, subject: ticket.subject, status: "open" },
        audit: { id: 90_000 + ticket.comments.length, ticket_id: ticket.id, events: [{ type: "Comment" }] },
      },
    };
  });
  return Object.assign(fake, { email, apiToken, tickets });
}
