import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { LogEventInput, LoggedEvent, listLoggedEvents, logEvent } from "../../incidents/event-log.ts";
import {
  AssignRoleInput,
  appendEntry,
  ChecklistInput,
  ChecklistItem,
  changeStatus,
  confirmFinalFix,
  DeclareInput,
  declareIncident,
  getIncident,
  handOverRole,
  Incident,
  ListIncidentsQuery,
  listIncidents,
  readTimeline,
  roleHistory,
  StatusInput,
  setChecklistItem,
  TIMELINE_PAGE_MAX,
  TimelineEntry,
  TimelineInput,
  UpdateIncidentInput,
  updateIncident,
} from "../../incidents/index.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, expectedVersion, IdParams, setEtag, withProblems } from "../route-helpers.ts";

const tags = ["incidents"];

export function incidentRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/v1/incidents",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Declare an incident",
          description:
            "At least one of the plan's criteria must hold; every plan role is filled from its main contact and each role's responsibilities become its checklist.",
          body: DeclareInput,
          response: withProblems({ 201: Incident }),
        },
      },
      async (request, reply) => {
        const incident = await declareIncident(ctxOf(deps, request), request.body);
        setEtag(reply, incident.version);
        return reply.code(201).header("location", `/api/v1/incidents/${incident.id}`).send(incident);
      },
    );

    app.get(
      "/api/v1/incidents",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List incidents, newest first",
          querystring: ListIncidentsQuery,
          response: withProblems({
            200: z.object({ items: z.array(Incident), nextCursor: z.string().optional() }),
          }),
        },
      },
      async (request) => listIncidents(ctxOf(deps, request), request.query),
    );

    app.get(
      "/api/v1/incidents/:id",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Read an incident",
          params: IdParams,
          response: withProblems({ 200: Incident }),
        },
      },
      async (request, reply) => {
        const incident = await getIncident(ctxOf(deps, request), request.params.id);
        setEtag(reply, incident.version);
        return incident;
      },
    );

    app.patch(
      "/api/v1/incidents/:id",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Change title, summary, severity, components, private or drill",
          description:
            'Send If-Match: "<version>" to refuse the change (409) when someone changed the incident since you read it.',
          params: IdParams,
          body: UpdateIncidentInput,
          response: withProblems({ 200: Incident }),
        },
      },
      async (request, reply) => {
        const incident = await updateIncident(
          ctxOf(deps, request),
          request.params.id,
          request.body,
          expectedVersion(request),
        );
        setEtag(reply, incident.version);
        return incident;
      },
    );

    app.post(
      "/api/v1/incidents/:id/status",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Change the status",
          description:
            "investigating → identified → monitoring → resolved; skips and reopening are allowed. Resolving needs a final fix confirmed by the incident manager, or override: true with a reason.",
          params: IdParams,
          body: StatusInput,
          response: withProblems({ 200: Incident }),
        },
      },
      async (request, reply) => {
        const incident = await changeStatus(
          ctxOf(deps, request),
          request.params.id,
          request.body,
          expectedVersion(request),
        );
        setEtag(reply, incident.version);
        return incident;
      },
    );

    app.put(
      "/api/v1/incidents/:id/roles/:roleId",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Hand a role over",
          params: IdParams.extend({ roleId: z.string().min(1).max(100) }),
          body: AssignRoleInput,
          response: withProblems({ 200: Incident }),
        },
      },
      async (request, reply) => {
        const incident = await handOverRole(
          ctxOf(deps, request),
          request.params.id,
          request.params.roleId,
          request.body,
        );
        setEtag(reply, incident.version);
        return incident;
      },
    );

    app.get(
      "/api/v1/incidents/:id/roles/history",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Who held which role, from when to when",
          params: IdParams,
          response: withProblems({
            200: z.object({
              items: z.array(
                z.object({
                  roleId: z.string(),
                  userId: z.string().nullable(),
                  startedAt: z.string(),
                  endedAt: z.string().nullable(),
                  assignedBy: z.string().nullable(),
                }),
              ),
            }),
          }),
        },
      },
      async (request) => ({ items: await roleHistory(ctxOf(deps, request), request.params.id) }),
    );

    app.put(
      "/api/v1/incidents/:id/checklist/:itemId",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Tick or untick a checklist item",
          params: IdParams.extend({ itemId: z.string().min(1).max(100) }),
          body: ChecklistInput,
          response: withProblems({ 200: ChecklistItem }),
        },
      },
      async (request) =>
        setChecklistItem(ctxOf(deps, request), request.params.id, request.params.itemId, request.body.done),
    );

    app.post(
      "/api/v1/incidents/:id/timeline",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Log a change, decision, fix or note",
          description:
            "A fix can be marked final; the incident manager's own final fix is confirmed at once.",
          params: IdParams,
          body: TimelineInput,
          response: withProblems({ 201: TimelineEntry }),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await appendEntry(ctxOf(deps, request), request.params.id, request.body)),
    );

    app.get(
      "/api/v1/incidents/:id/timeline",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Read the timeline, oldest first (or order=desc)",
          params: IdParams,
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(TIMELINE_PAGE_MAX).optional(),
            cursor: z.string().max(300).optional(),
            order: z
              .enum(["asc", "desc"])
              .default("asc")
              .meta({ description: "asc: oldest first (default); desc: newest first" }),
          }),
          response: withProblems({
            200: z.object({ items: z.array(TimelineEntry), nextCursor: z.string().optional() }),
          }),
        },
      },
      async (request) => readTimeline(ctxOf(deps, request), request.params.id, request.query),
    );

    app.post(
      "/api/v1/incidents/:id/timeline/:entryId/confirm",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Confirm a fix as the final fix (incident manager only)",
          params: IdParams.extend({ entryId: z.string().min(1).max(100) }),
          response: withProblems({ 200: TimelineEntry }),
        },
      },
      async (request) => confirmFinalFix(ctxOf(deps, request), request.params.id, request.params.entryId),
    );

    app.post(
      "/api/v1/event-log",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Log an event that met none of the plan's criteria (not declared as an incident)",
          body: LogEventInput,
          response: withProblems({ 201: LoggedEvent }),
        },
      },
      async (request, reply) => reply.code(201).send(await logEvent(ctxOf(deps, request), request.body)),
    );

    app.get(
      "/api/v1/event-log",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Logged events, newest first",
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.string().max(300).optional(),
          }),
          response: withProblems({
            200: z.object({ items: z.array(LoggedEvent), nextCursor: z.string().optional() }),
          }),
        },
      },
      async (request) => listLoggedEvents(ctxOf(deps, request), request.query),
    );
  };
}
