import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createScheduleFeed,
  createUserFeed,
  scheduleCalendar,
  userCalendar,
} from "../../oncall/calendar-feeds.ts";
import { Instant } from "../../oncall/schedule.ts";
import {
  CreateOverrideInput,
  createOverride,
  deleteOverride,
  listOverrides,
  OverrideView,
} from "../../oncall/schedule-overrides.ts";
import {
  CoverageView,
  listSchedules,
  OnCallAnswer,
  onCallOver,
  ScheduleView,
  scheduleCoverage,
  whoIsOnCall,
} from "../../oncall/schedules.ts";
import { AppError } from "../../shared/errors.ts";
import { DAY } from "../../shared/zone.ts";
import type { AppDeps } from "../app.ts";
import { Problem } from "../problem.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const tags = ["schedules"];

/** How much one request may ask for, and what it gets when it does not say. */
export const MAX_QUERY_DAYS = 90;
const DEFAULT_QUERY_DAYS = 14;

const ScheduleParams = z.object({
  id: z.string().min(1).max(100).meta({ description: "Schedule id (from the plan)" }),
});
const OverrideParams = ScheduleParams.extend({ overrideId: z.string().min(1).max(100) });
const FeedUrl = z.object({ url: z.string().meta({ description: "The feed's secret URL, shown once" }) });
// Not strict: calendar apps may add parameters of their own.
const FeedQuery = z.object({ token: z.string().max(200).optional() });

const RangeQuery = {
  from: Instant.optional().meta({ description: "Start of the range (default: now)" }),
  to: Instant.optional().meta({
    description: `End of the range (default: ${DEFAULT_QUERY_DAYS} days after from; at most ${MAX_QUERY_DAYS} days after it)`,
  }),
};

const rangeError = (message: string) =>
  new AppError("bad_request", `The range is not valid: ${message}.`, [{ path: "querystring.to", message }]);

/** A query's [from, to): defaults filled in from the clock, checked against the limit. */
function rangeOf(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const from = query.from ? new Date(query.from) : now;
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_QUERY_DAYS * DAY);
  if (to <= from) throw rangeError(`must be after from (${from.toISOString()})`);
  if (to.getTime() - from.getTime() > MAX_QUERY_DAYS * DAY) {
    throw rangeError(`must be at most ${MAX_QUERY_DAYS} days after from (${from.toISOString()})`);
  }
  return { from, to };
}

/** Schedules: who is on call, overrides, calendar feeds. */
export function scheduleRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/schedules",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List the plan's on-call schedules, with who is on call now",
          response: withProblems({ 200: z.object({ items: z.array(ScheduleView) }) }),
        },
      },
      async (request) => ({ items: await listSchedules(ctxOf(deps, request)) }),
    );

    app.get(
      "/api/v1/schedules/:id/coverage",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Who is on call over a range, and each layer's shifts",
          description: `Shifts after layers and overrides tile [from, to) exactly; stretches nobody covers have email null. At most ${MAX_QUERY_DAYS} days.`,
          params: ScheduleParams,
          querystring: z.strictObject(RangeQuery),
          response: withProblems({ 200: CoverageView }),
        },
      },
      async (request) => {
        const { from, to } = rangeOf(request.query, deps.clock.now());
        return scheduleCoverage(ctxOf(deps, request), request.params.id, from, to);
      },
    );

    app.get(
      "/api/v1/oncall",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Who is on call: now, at an instant, or over a range",
          description:
            "Without from/to: the person on call at `at` (default now) in each schedule, with their shift. With from and/or to: every shift in the range. `schedule` narrows it to one schedule.",
          querystring: z.strictObject({
            schedule: z.string().min(1).max(100).optional(),
            at: Instant.optional().meta({ description: "The instant to ask about (default: now)" }),
            ...RangeQuery,
          }),
          response: withProblems({ 200: OnCallAnswer }),
        },
      },
      async (request) => {
        const { schedule, at, from, to } = request.query;
        const ctx = ctxOf(deps, request);
        if (from === undefined && to === undefined) {
          return whoIsOnCall(ctx, { scheduleId: schedule, at: at ? new Date(at) : deps.clock.now() });
        }
        if (at !== undefined) {
          throw new AppError("bad_request", "Ask either at an instant or over a range, not both.", [
            { path: "querystring.at", message: "not with from or to", hint: "leave out at, or from and to" },
          ]);
        }
        return onCallOver(ctx, { scheduleId: schedule, ...rangeOf({ from, to }, deps.clock.now()) });
      },
    );

    app.get(
      "/api/v1/schedules/:id/overrides",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List a schedule's current and upcoming overrides",
          params: ScheduleParams,
          response: withProblems({ 200: z.object({ items: z.array(OverrideView) }) }),
        },
      },
      async (request) => ({ items: await listOverrides(ctxOf(deps, request), request.params.id) }),
    );

    app.post(
      "/api/v1/schedules/:id/overrides",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Have someone cover a stretch of the schedule",
          description:
            "The override applies on top of every layer; where overrides overlap, the newest wins. At most 90 days long.",
          params: ScheduleParams,
          body: CreateOverrideInput,
          response: withProblems({ 201: OverrideView }),
        },
      },
      async (request, reply) => {
        const override = await createOverride(ctxOf(deps, request), request.params.id, request.body);
        return reply.code(201).send(override);
      },
    );

    app.delete(
      "/api/v1/schedules/:id/overrides/:overrideId",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Remove an override",
          params: OverrideParams,
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        await deleteOverride(ctxOf(deps, request), request.params.id, request.params.overrideId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/v1/schedules/:id/feed",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Create the schedule's calendar feed URL (revokes the previous one)",
          params: ScheduleParams,
          response: withProblems({ 201: FeedUrl }),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createScheduleFeed(ctxOf(deps, request), request.params.id)),
    );

    app.post(
      "/api/v1/users/me/calendar-feed",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary:
            "Create your own calendar feed URL: your shifts in every schedule (revokes the previous one)",
          response: withProblems({ 201: FeedUrl }),
        },
      },
      async (request, reply) => reply.code(201).send(await createUserFeed(ctxOf(deps, request))),
    );

    // The token is the credential: these requests are not logged at info, so it stays out of the logs.
    app.get(
      "/api/v1/schedules/:id.ics",
      {
        config: { access: "public" },
        logLevel: "warn",
        schema: {
          tags,
          summary: "The schedule's iCalendar feed (text/calendar), authenticated by its secret token",
          description:
            "A week back and 90 days ahead. 404 for an unknown schedule or a wrong or revoked token.",
          params: ScheduleParams,
          querystring: FeedQuery,
          produces: ["text/calendar"],
          response: {
            200: z.string().meta({ description: "text/calendar; charset=utf-8" }),
            404: Problem,
          },
        },
      },
      async (request, reply) => {
        const ics = await scheduleCalendar(ctxOf(deps, request), request.params.id, request.query.token);
        return reply
          .type("text/calendar; charset=utf-8")
          .header("cache-control", "private, max-age=300")
          .send(ics);
      },
    );

    app.get(
      "/api/v1/users/:userId.ics",
      {
        config: { access: "public" },
        logLevel: "warn",
        schema: {
          tags,
          summary:
            "A person's iCalendar feed of their shifts (text/calendar), authenticated by its secret token",
          description: "A week back and 90 days ahead. 404 for an unknown user or a wrong or revoked token.",
          params: z.object({ userId: z.string().min(1).max(100) }),
          querystring: FeedQuery,
          produces: ["text/calendar"],
          response: {
            200: z.string().meta({ description: "text/calendar; charset=utf-8" }),
            404: Problem,
          },
        },
      },
      async (request, reply) => {
        const ics = await userCalendar(ctxOf(deps, request), request.params.userId, request.query.token);
        return reply
          .type("text/calendar; charset=utf-8")
          .header("cache-control", "private, max-age=300")
          .send(ics);
      },
    );
  };
}
