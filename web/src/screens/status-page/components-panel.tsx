import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { api, call } from "../../api/client";
import { describeIssue, isApiError } from "../../api/problem";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { FieldErrors } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { useTitle } from "../../lib/use-title";
import { ComponentRowEditor } from "./component-row-editor";
import {
  type ComponentRow,
  checkComponents,
  componentFieldOf,
  groupSuggestions,
  moveRow,
  newRow,
  ROW_FIELDS,
  renamed,
  rowsOf,
  sameComponents,
  toComponentsBody,
} from "./components-form";
import { type PageComponentSetting, storePage, useStatusPage } from "./queries";

/** The page's components in page order: admins add, remove, rename, group and reorder them; others read. */
export function ComponentsPanel() {
  useTitle("Status page components");
  const user = useSession();
  const page = useStatusPage();
  if (page.isPending) return <Loading what="the components" />;
  if (page.error) return <ErrorAlert error={page.error} onRetry={() => void page.refetch()} />;
  return user.role === "admin" ? (
    <ComponentsEditor current={page.data.components} />
  ) : (
    <ComponentsTable components={page.data.components} />
  );
}

function ComponentsTable({ components }: { components: readonly PageComponentSetting[] }) {
  return (
    <>
      <h1>Components</h1>
      <p className="notice">Only admins change the components. They are kept in the plan.</p>
      {components.length === 0 ? <Empty>No components yet.</Empty> : null}
      {components.length > 0 ? (
        <TableWrap label="Components">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Group</th>
                <th scope="col">Description</th>
                <th scope="col">Uptime bars</th>
                <th scope="col">Listed</th>
              </tr>
            </thead>
            <tbody>
              {components.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>{c.group ?? <span className="muted">none</span>}</td>
                  <td>{c.description ?? ""}</td>
                  <td>{c.showUptime ? "shown" : "hidden"}</td>
                  <td>{c.onlyShowIfDegraded ? "only when degraded" : "always"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

function ComponentsEditor({ current }: { current: readonly PageComponentSetting[] }) {
  const client = useQueryClient();
  const serverRows = useMemo(() => rowsOf(current), [current]);
  const [base, setBase] = useState(serverRows);
  const [rows, setRows] = useState(serverRows);
  const [showChecks, setShowChecks] = useState(false);
  const [saved, setSaved] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const pendingFocus = useRef<(() => void) | null>(null);
  const nextKey = useRef(1);
  const groupsListId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  const dirty = !sameComponents(rows, base);
  const changedElsewhere = !sameComponents(serverRows, base);
  // While nothing is being edited, follow the server (another admin, or the plan editor).
  useEffect(() => {
    if (!dirty && changedElsewhere) {
      setBase(serverRows);
      setRows(serverRows);
    }
  }, [dirty, changedElsewhere, serverRows]);
  // Moving or removing a row re-renders the list; the focus goes where the keyboard user expects it.
  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current();
    pendingFocus.current = null;
  });

  const save = useMutation({
    mutationFn: () =>
      call(
        "Could not save the components",
        api.PUT("/api/v1/statuspage/components", { body: toComponentsBody(rows) }),
      ),
    onSuccess: (answer) => {
      const next = rowsOf(answer.components);
      setBase(next);
      setRows(next);
      setShowChecks(false);
      setSaved(true);
      storePage(client, { components: answer.components });
    },
  });

  const checks = showChecks ? checkComponents(rows) : {};
  const problem = isApiError(save.error) ? save.error.problem : undefined;
  const errorsAt = (path: string) => [
    ...(checks[path] ? [checks[path]] : []),
    ...(problem?.errors ?? []).filter((issue) => componentFieldOf(issue.path) === path).map(describeIssue),
  ];
  // Every row claims its own issues; what is left (the list itself, the rest of the plan) goes in the alert.
  const claimed = rows.map((_, i) => `components.${i}`);

  const change = (next: ComponentRow[], structural = false) => {
    setRows(next);
    setSaved(false);
    // The server's issues name rows by position, which a move or removal changes.
    if (structural) save.reset();
  };
  const focusIn = (key: string, selector: string) => () =>
    document.querySelector<HTMLElement>(`[data-row="${CSS.escape(key)}"] ${selector}`)?.focus();

  const add = () => {
    const row = newRow(`new:${nextKey.current++}`);
    pendingFocus.current = focusIn(row.key, "input");
    setAnnouncement(`New component added at position ${rows.length + 1}.`);
    change([...rows, row], true);
  };
  const move = (index: number, delta: number) => {
    const row = rows[index];
    if (!row) return;
    const to = index + delta;
    const atEnd = delta < 0 ? to === 0 : to === rows.length - 1;
    // At the top, "Move up" is disabled: the focus stays on the row, on "Move down".
    const button = delta < 0 !== atEnd ? "up" : "down";
    pendingFocus.current = focusIn(row.key, `[data-move="${button}"]`);
    setAnnouncement(
      `${row.name.trim() || "The new component"} moved to position ${to + 1} of ${rows.length}.`,
    );
    change(moveRow(rows, index, delta), true);
  };
  const remove = (index: number) => {
    const row = rows[index];
    if (!row) return;
    const next = rows.filter((_, i) => i !== index);
    const neighbour = next[index] ?? next[index - 1];
    pendingFocus.current = neighbour
      ? focusIn(neighbour.key, "input")
      : () => document.getElementById(`${groupsListId}-add`)?.focus();
    setAnnouncement(`${row.name.trim() || "The new component"} removed. Save to apply.`);
    change(next, true);
  };
  const update = (index: number, patch: Partial<ComponentRow>) =>
    change(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkComponents(rows);
    setShowChecks(true);
    const first = rows
      .flatMap((_, i) => ROW_FIELDS.map((field) => `components.${i}.${field}`))
      .find((path) => found[path]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    save.mutate();
  };

  return (
    <>
      <div className="page-header">
        <h1>Components</h1>
        <span className="muted">{rows.length} on the page, in this order</span>
      </div>
      <p className="muted">
        Saved in the plan as a new version. Components with the same group are shown together, where the
        group's first component is. A component keeps its id once saved: incidents and uptime history refer to
        it.
      </p>
      {dirty && changedElsewhere ? (
        <div className="notice notice-warn" role="status">
          Someone else changed the components since you started. Saving replaces their change.{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setBase(serverRows);
              setRows(serverRows);
              save.reset();
            }}
          >
            Start again from theirs
          </button>
        </div>
      ) : null}
      <form ref={formRef} onSubmit={submit} noValidate aria-label="Components">
        <ErrorAlert error={save.error} fields={claimed} focus />
        {Object.keys(checks).length > 0 ? (
          <p className="alert" role="alert">
            Some components need fixing: they are marked below.
          </p>
        ) : null}
        <FieldErrors errors={checks.components ? [checks.components] : []} />
        <datalist id={groupsListId}>
          {groupSuggestions(rows).map((group) => (
            <option key={group} value={group} />
          ))}
        </datalist>
        {rows.length === 0 ? <Empty>No components: the page shows only the overall status.</Empty> : null}
        <ol className="component-rows">
          {rows.map((row, index) => (
            <ComponentRowEditor
              key={row.key}
              row={row}
              index={index}
              count={rows.length}
              groupsListId={groupsListId}
              errorsAt={errorsAt}
              onUpdate={(patch) => update(index, patch)}
              onRename={(name) => change(renamed(rows, index, name))}
              onMove={(delta) => move(index, delta)}
              onRemove={() => remove(index)}
            />
          ))}
        </ol>
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
        <p>
          <button type="button" id={`${groupsListId}-add`} className="button" onClick={add}>
            Add a component
          </button>
        </p>
        {saved ? (
          <p className="notice notice-ok" role="status">
            Saved as a new plan version. The public page shows it within a few seconds.
          </p>
        ) : null}
        <div className="button-row spaced">
          <button type="submit" className="button button-primary" disabled={!dirty || save.isPending}>
            {save.isPending ? "Saving…" : "Save components"}
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty}
            onClick={() => {
              setAnnouncement("All changes undone.");
              setShowChecks(false);
              save.reset();
              setRows(base);
            }}
          >
            Undo all changes
          </button>
        </div>
      </form>
    </>
  );
}
