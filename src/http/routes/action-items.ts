import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ActionItem,
  CreateActionItemInput,
  createActionItem,
  deleteActionItem,
  getActionItem,
  ListActionItemsQuery,
  listActionItems,
  listIncidentActionItems,
  UpdateActionItemInput,
  updateActionItem,
} from "../../review/actions/index.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, expectedVersion, IdParams, setEtag, withProblems } from "../route-helpers.ts";

const tags = ["action items"];
const ItemParams = z.object({ id: z.string().min(1).max(100).meta({ description: "Action item id" }) });

export function actionItemRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/incidents/:id/action-items",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "An incident's action items, oldest first",
          params: IdParams,
          response: withProblems({ 200: z.object({ items: z.array(ActionItem) }) }),
        },
      },
      async (request) => ({ items: await listIncidentActionItems(ctxOf(deps, request), request.params.id) }),
    );

    app.post(
      "/api/v1/incidents/:id/action-items",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Add an action item",
          description:
            "The priority is one of the plan's action_items.priorities (the first by default). Without dueAt the item is due the priority's due_in from now; dueAt: null means no due date. The owner is given by ownerId or ownerEmail. The url is a link to an outside tracker, shown and never fetched.",
          params: IdParams,
          body: CreateActionItemInput,
          response: withProblems({ 201: ActionItem }),
        },
      },
      async (request, reply) => {
        const item = await createActionItem(ctxOf(deps, request), request.params.id, request.body);
        setEtag(reply, item.version);
        return reply.code(201).header("location", `/api/v1/action-items/${item.id}`).send(item);
      },
    );

    app.get(
      "/api/v1/action-items",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Action items across incidents, soonest due first",
          description:
            "owner=me for your own, owner=<user id> for someone's, team=<team> for a team's; overdue=true for those still open past their due date.",
          querystring: ListActionItemsQuery,
          response: withProblems({
            200: z.object({
              items: z.array(ActionItem),
              truncated: z.boolean().meta({ description: "More items matched than the limit" }),
            }),
          }),
        },
      },
      async (request) => listActionItems(ctxOf(deps, request), request.query),
    );

    app.get(
      "/api/v1/action-items/:id",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Read an action item",
          params: ItemParams,
          response: withProblems({ 200: ActionItem }),
        },
      },
      async (request, reply) => {
        const item = await getActionItem(ctxOf(deps, request), request.params.id);
        setEtag(reply, item.version);
        return item;
      },
    );

    app.patch(
      "/api/v1/action-items/:id",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Change an action item",
          description:
            'Closing it (done, wont_do) sets closedAt and reopening clears it; both go on the incident\'s timeline. Send If-Match: "<version>" to refuse the change (409) when someone changed it since you read it.',
          params: ItemParams,
          body: UpdateActionItemInput,
          response: withProblems({ 200: ActionItem }),
        },
      },
      async (request, reply) => {
        const item = await updateActionItem(
          ctxOf(deps, request),
          request.params.id,
          request.body,
          expectedVersion(request),
        );
        setEtag(reply, item.version);
        return item;
      },
    );

    app.delete(
      "/api/v1/action-items/:id",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Remove an action item",
          params: ItemParams,
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        await deleteActionItem(ctxOf(deps, request), request.params.id, expectedVersion(request));
        return reply.code(204).send(null);
      },
    );
  };
}
