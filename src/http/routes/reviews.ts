import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Incident } from "../../incidents/model.ts";
import {
  closeIncident,
  DecisionInput,
  getReview,
  ListReviewsQuery,
  listReviews,
  openReview,
  Review,
  recordDecision,
  UpdateReviewInput,
  updateReview,
} from "../../review/reviews/index.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, expectedVersion, IdParams, setEtag, withProblems } from "../route-helpers.ts";

const tags = ["reviews"];

/** Post-incident reviews, the public-postmortem decision, and closing an incident. */
export function reviewRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/reviews",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Reviews across incidents, soonest due first",
          description:
            "For example the reviews due this week: ?status=scheduled&due_before=2026-12-07T00:00:00Z",
          querystring: ListReviewsQuery,
          response: withProblems({ 200: z.object({ items: z.array(Review) }) }),
        },
      },
      async (request) => listReviews(ctxOf(deps, request), request.query),
    );

    app.get(
      "/api/v1/incidents/:id/review",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Read the incident's post-incident review",
          params: IdParams,
          response: withProblems({ 200: Review }),
        },
      },
      async (request, reply) => {
        const review = await getReview(ctxOf(deps, request), request.params.id);
        setEtag(reply, review.version);
        return review;
      },
    );

    app.post(
      "/api/v1/incidents/:id/review",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Open a review by hand",
          description:
            "Resolving an incident whose severity the plan's review.required_for names opens one by itself; this opens one for any other incident. The meeting is scheduled by the plan's rules and the invites are emailed.",
          params: IdParams,
          response: withProblems({ 201: Review }),
        },
      },
      async (request, reply) => {
        const review = await openReview(ctxOf(deps, request), request.params.id);
        setEtag(reply, review.version);
        return reply
          .code(201)
          .header("location", `/api/v1/incidents/${request.params.id}/review`)
          .send(review);
      },
    );

    app.patch(
      "/api/v1/incidents/:id/review",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Move the meeting, write notes, tick the checklist, mark held or cancelled",
          description:
            'Moving the meeting sends the invite again (SEQUENCE + 1); cancelling sends a cancellation. Send If-Match: "<version>" to refuse the change (409) when someone changed the review since you read it.',
          params: IdParams,
          body: UpdateReviewInput,
          response: withProblems({ 200: Review }),
        },
      },
      async (request, reply) => {
        const review = await updateReview(
          ctxOf(deps, request),
          request.params.id,
          request.body,
          expectedVersion(request),
        );
        setEtag(reply, review.version);
        return review;
      },
    );

    app.post(
      "/api/v1/incidents/:id/review/decision",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Decide whether a public postmortem is needed (incident manager or admin)",
          params: IdParams,
          body: DecisionInput,
          response: withProblems({ 200: Review }),
        },
      },
      async (request, reply) => {
        const review = await recordDecision(
          ctxOf(deps, request),
          request.params.id,
          request.body,
          expectedVersion(request),
        );
        setEtag(reply, review.version);
        return review;
      },
    );

    app.post(
      "/api/v1/incidents/:id/close",
      {
        config: { access: "responder" },
        schema: {
          tags: ["incidents"],
          summary: "Close a resolved incident",
          description:
            "Severities in the plan's review.decision_required_for (by default those that need a review) need the public-postmortem decision first. A closed incident cannot be reopened.",
          params: IdParams,
          response: withProblems({ 200: Incident }),
        },
      },
      async (request, reply) => {
        const incident = await closeIncident(
          ctxOf(deps, request),
          request.params.id,
          expectedVersion(request),
        );
        setEtag(reply, incident.version);
        return incident;
      },
    );
  };
}
