import type { FormEvent } from "react";
import { api, call } from "../../api/client";
import { isApiError } from "../../api/problem";
import type { Incident, User } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Loading } from "../../components/states";
import { formatLocal } from "../../lib/time";
import type { AfterTabProps } from "./after-tab";
import { MarkdownEditor, Rendered, useEdited } from "./postmortem-editor";
import { type Postmortem, useChange, usePostmortem } from "./postmortem-queries";
import "./postmortem.css";

/**
 * The blameless postmortem: drafted by the server from the incident, written
 * here as Markdown, moved draft → in review → published, with a public version
 * published on the status page. The server renders and sanitizes all Markdown;
 * this screen only shows the HTML it is given (the bundle carries no Markdown
 * parser), and previews go through POST /api/v1/markdown/preview.
 */
const STATUS_TEXT: Record<Postmortem["status"], string> = {
  draft: "Draft",
  in_review: "In review",
  published: "Published",
};

export function PostmortemTab({ incident }: AfterTabProps) {
  const user = useSession();
  const postmortem = usePostmortem(incident.reference);
  if (postmortem.isPending) return <Loading what="the postmortem" />;
  if (postmortem.error)
    return <ErrorAlert error={postmortem.error} onRetry={() => void postmortem.refetch()} />;
  if (!postmortem.data) return <NoPostmortem incident={incident} user={user} />;
  return (
    <>
      <DocumentPanel key={postmortem.data.id} incident={incident} postmortem={postmortem.data} user={user} />
      <PublicPanel
        key={`${postmortem.data.id}-public`}
        incident={incident}
        postmortem={postmortem.data}
        user={user}
      />
    </>
  );
}

function NoPostmortem({ incident, user }: { incident: Incident; user: User }) {
  const create = useChange(incident, () =>
    call(
      `Could not draft the postmortem of ${incident.reference}`,
      api.POST("/api/v1/incidents/{id}/postmortem", { params: { path: { id: incident.id } } }),
    ),
  );
  return (
    <section className="panel" aria-labelledby="postmortem-title">
      <h2 id="postmortem-title">Postmortem</h2>
      <p>
        {incident.reference} has no postmortem yet. The draft starts from what the incident recorded: its
        impact and durations, detection, who held which role, the timeline with the final fix, the updates
        sent and the action items, in your plan's sections. Blameless: it states facts, not faults.
      </p>
      <ErrorAlert error={create.error} focus />
      {canRespond(user) ? (
        <button
          type="button"
          className="button button-primary"
          disabled={create.isPending}
          onClick={() => create.mutate(undefined)}
        >
          Draft the postmortem
        </button>
      ) : (
        <p className="muted">Responders can draft it.</p>
      )}
    </section>
  );
}

function DocumentPanel({
  incident,
  postmortem,
  user,
}: {
  incident: Incident;
  postmortem: Postmortem;
  user: User;
}) {
  const writer = canRespond(user);
  const editable = writer && postmortem.status !== "published";
  const edit = useEdited(postmortem.body);
  const { text: body, setText: setBody, dirty, reset } = edit;
  const save = useChange(incident, (markdown: string) =>
    call(
      "Could not save the postmortem",
      api.PUT("/api/v1/incidents/{id}/postmortem", {
        params: { path: { id: incident.id } },
        body: { body: markdown, version: postmortem.version },
      }),
    ),
  );
  const move = useChange(incident, (status: Postmortem["status"]) =>
    call(
      "Could not change the postmortem's status",
      api.POST("/api/v1/incidents/{id}/postmortem/status", {
        params: { path: { id: incident.id } },
        body: { status, version: postmortem.version },
      }),
    ),
  );
  const conflict = isApiError(save.error) && save.error.status === 409;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(body, { onSuccess: (next) => edit.accept(next.body) });
  };
  const exports = `/api/v1/incidents/${encodeURIComponent(incident.id)}/postmortem`;

  return (
    <section className="panel" aria-labelledby="postmortem-title">
      <div className="panel-header">
        <h2 id="postmortem-title">Postmortem</h2>
        <span className="badge badge-plain">
          <span className="visually-hidden">Status: </span>
          {STATUS_TEXT[postmortem.status]}
        </span>
      </div>
      <p className="muted small">
        Version {postmortem.version}, saved {formatLocal(postmortem.updatedAt)}
        {postmortem.updatedBy ? ` by ${postmortem.updatedBy.name}` : ""}
        {postmortem.publishedAt ? `. Published ${formatLocal(postmortem.publishedAt)}.` : "."}
      </p>
      {editable ? (
        <form onSubmit={onSubmit}>
          <ErrorAlert error={save.error} fields={["body.body"]} focus />
          {conflict ? (
            <p className="notice notice-warn">
              Someone saved a newer version while you were writing. Copy what you want to keep, then{" "}
              <button type="button" className="button button-small" onClick={reset}>
                load their version
              </button>
            </p>
          ) : null}
          <MarkdownEditor
            label="The postmortem"
            value={body}
            onChange={setBody}
            savedText={postmortem.body}
            savedHtml={postmortem.html}
          />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={!dirty || save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </button>
            {dirty ? (
              <button type="button" className="button button-quiet" onClick={reset}>
                Discard changes
              </button>
            ) : null}
          </div>
        </form>
      ) : (
        <Rendered html={postmortem.html} label="The postmortem" />
      )}
      {writer && postmortem.status !== "published" ? (
        <div className="spaced">
          <ErrorAlert error={move.error} focus />
          <div className="button-row">
            {postmortem.status === "draft" ? (
              <button
                type="button"
                className="button"
                disabled={dirty || move.isPending}
                onClick={() => move.mutate("in_review")}
              >
                Send for review
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={dirty || move.isPending}
                  onClick={() => move.mutate("draft")}
                >
                  Back to draft
                </button>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={dirty || move.isPending}
                  onClick={() => move.mutate("published")}
                >
                  Publish the postmortem
                </button>
              </>
            )}
          </div>
          {dirty ? <p className="field-hint">Save your changes before moving it on.</p> : null}
          {postmortem.status === "in_review" ? (
            <p className="field-hint">Once published, the postmortem is the record and no longer changes.</p>
          ) : null}
        </div>
      ) : null}
      <p className="button-row spaced">
        <a className="button button-small" href={`${exports}.md`} download>
          Download Markdown
        </a>
        <a className="button button-small" href={`${exports}.html`} download>
          Download HTML
        </a>
      </p>
    </section>
  );
}

function publishBlocker(incident: Incident, postmortem: Postmortem): string | null {
  if (postmortem.decision?.publicPostmortem === false)
    return "The review decided against a public postmortem.";
  if (incident.private) return "Private incidents are never shown on the status page.";
  if (incident.drill) return "Drills are never shown on the status page.";
  if (incident.status !== "resolved") return `${incident.reference} is not resolved yet.`;
  if (postmortem.status === "draft") return "Send the postmortem for review first.";
  if (postmortem.public.status === "none") return "Save the public version first.";
  return null;
}

function PublicPanel({
  incident,
  postmortem,
  user,
}: {
  incident: Incident;
  postmortem: Postmortem;
  user: User;
}) {
  const writer = canRespond(user);
  const pub = postmortem.public;
  const titleEdit = useEdited(pub.title ?? incident.title);
  const bodyEdit = useEdited(pub.body ?? "");
  const title = titleEdit.text;
  const body = bodyEdit.text;
  const dirty = titleEdit.dirty || bodyEdit.dirty || (pub.status === "none" && body.trim() !== "");
  const save = useChange(incident, (input: { title: string; body: string }) =>
    call(
      "Could not save the public version",
      api.PUT("/api/v1/incidents/{id}/postmortem/public", {
        params: { path: { id: incident.id } },
        body: { ...input, version: postmortem.version },
      }),
    ),
  );
  const publish = useChange(incident, () =>
    call(
      "Could not publish the public postmortem",
      api.POST("/api/v1/incidents/{id}/postmortem/public/publish", {
        params: { path: { id: incident.id } },
        headers: { "if-match": `"${postmortem.version}"` },
      }),
    ),
  );
  const problem = isApiError(save.error) ? save.error.problem : undefined;
  const errors = (field: string) =>
    problem?.errors.filter((e) => e.path === `body.${field}`).map((e) => e.message) ?? [];
  const blocker = publishBlocker(incident, postmortem);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { title, body },
      {
        onSuccess: (next) => {
          titleEdit.accept(next.public.title ?? "");
          bodyEdit.accept(next.public.body ?? "");
        },
      },
    );
  };
  const decision = postmortem.decision;

  return (
    <section className="panel" aria-labelledby="public-postmortem-title">
      <div className="panel-header">
        <h2 id="public-postmortem-title">Public postmortem</h2>
        <span className="badge badge-plain">
          <span className="visually-hidden">Public version: </span>
          {pub.status === "published"
            ? "Published"
            : pub.status === "draft"
              ? "Not published"
              : "Not written"}
        </span>
      </div>
      {decision?.publicPostmortem === false ? (
        <p className="notice notice-warn">
          The review decided against a public postmortem{decision.reason ? `: ${decision.reason}` : "."}
        </p>
      ) : decision?.publicPostmortem === true ? (
        <p className="notice notice-ok">
          The review decided on a public postmortem{decision.reason ? `: ${decision.reason}` : "."}
        </p>
      ) : null}
      {pub.status === "published" && pub.publishedAt ? (
        <p className="notice notice-ok">
          Published on the status page {formatLocal(pub.publishedAt)} and sent to its subscribers.{" "}
          {pub.url ? (
            <a href={pub.url} target="_blank" rel="noopener noreferrer">
              See it on the status page
            </a>
          ) : null}
        </p>
      ) : (
        <p className="muted">
          What customers read, in their words: its own title and text, written beside the postmortem.
          Publishing shows it on the status page under the incident and sends it to the page's subscribers of
          the affected components.
        </p>
      )}
      {writer ? (
        <form onSubmit={onSubmit}>
          <ErrorAlert error={save.error} fields={["body.title", "body.body"]} focus />
          <Field label="Title" errors={errors("title")}>
            {(control) => (
              <input
                {...control}
                type="text"
                value={title}
                maxLength={200}
                onChange={(e) => titleEdit.setText(e.target.value)}
              />
            )}
          </Field>
          <MarkdownEditor
            label="Public text"
            value={body}
            onChange={bodyEdit.setText}
            savedText={pub.body ?? ""}
            savedHtml={pub.html}
            errors={errors("body")}
            rows={14}
          />
          <div className="button-row">
            <button type="submit" className="button" disabled={!dirty || save.isPending}>
              {pub.status === "published" ? "Save correction" : "Save public version"}
            </button>
            {pub.status !== "published" ? (
              <button
                type="button"
                className="button button-primary"
                disabled={dirty || blocker !== null || publish.isPending}
                onClick={() => publish.mutate(undefined)}
              >
                Publish on the status page
              </button>
            ) : null}
          </div>
          {pub.status !== "published" && (blocker || dirty) ? (
            <p className="field-hint">{dirty ? "Save the public version before publishing it." : blocker}</p>
          ) : null}
          {pub.status === "published" ? (
            <p className="field-hint">A correction shows on the status page at once; it is not sent again.</p>
          ) : null}
          <ErrorAlert error={publish.error} focus />
        </form>
      ) : pub.html ? (
        <Rendered html={pub.html} label="The public postmortem" />
      ) : null}
      {pub.status !== "none" ? (
        <p className="button-row spaced">
          <a
            className="button button-small"
            href={`/api/v1/incidents/${encodeURIComponent(incident.id)}/postmortem.md?version=public`}
            download
          >
            Download public Markdown
          </a>
          <a
            className="button button-small"
            href={`/api/v1/incidents/${encodeURIComponent(incident.id)}/postmortem.html?version=public`}
            download
          >
            Download public HTML
          </a>
        </p>
      ) : null}
    </section>
  );
}
