import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { api, call } from "../../api/client";
import { describeIssue, isApiError } from "../../api/problem";
import type { ContactMethod, NotificationRule } from "../../api/types";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Loading } from "../../components/states";
import { describeMethod } from "./contact-kinds";
import { settingKeys, useContactMethods, useNotificationRules } from "./queries";
import {
  checkRules,
  MAX_RULES,
  type RuleRow,
  rowsOf,
  ruleFieldOf,
  sameRules,
  toRulesBody,
} from "./rules-form";

/** When each contact method is used, in minutes after a page. */
export function NotificationRules() {
  const user = useSession();
  const rules = useNotificationRules();
  const methods = useContactMethods();
  const [saved, setSaved] = useState(false);
  // A method removed, or rules saved elsewhere: start again from what the server has.
  const signature = [
    ...(rules.data?.items ?? []).map((r) => `${r.id}:${r.delayMinutes}`),
    ...(methods.data?.items ?? []).map((m) => m.id),
  ].join(",");
  return (
    <section aria-labelledby="rules-title" className="spaced">
      <h2 id="rules-title">Notification rules</h2>
      <p className="muted">
        When you are paged, each rule uses one contact method so many minutes in; acknowledging stops the
        rest. Without rules you are emailed at {user.email} at once.
      </p>
      {rules.isPending || methods.isPending ? <Loading what="your notification rules" /> : null}
      <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} />
      {rules.data && methods.data ? (
        methods.data.items.length === 0 ? (
          <p className="notice">Add a contact method first; then choose when it is used.</p>
        ) : (
          <RulesEditor
            key={signature}
            rules={rules.data.items}
            methods={methods.data.items}
            saved={saved}
            onSaved={setSaved}
          />
        )
      ) : null}
    </section>
  );
}

function RulesEditor({
  rules,
  methods,
  saved,
  onSaved,
}: {
  rules: readonly NotificationRule[];
  methods: readonly ContactMethod[];
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const client = useQueryClient();
  const base = rowsOf(rules);
  const [rows, setRows] = useState<RuleRow[]>(base);
  const [showChecks, setShowChecks] = useState(false);
  const nextKey = useRef(1);
  const formRef = useRef<HTMLFormElement>(null);
  const focusKey = useRef<string | null>(null);
  useEffect(() => {
    if (!focusKey.current) return;
    formRef.current?.querySelector<HTMLElement>(`[data-rule="${CSS.escape(focusKey.current)}"]`)?.focus();
    focusKey.current = null;
  });

  const save = useMutation({
    mutationFn: () =>
      call(
        "Could not save your notification rules",
        api.PUT("/api/v1/users/{userId}/notification-rules", {
          params: { path: { userId: "me" } },
          body: toRulesBody(rows),
        }),
      ),
    onSuccess: (answer) => {
      onSaved(true);
      client.setQueryData(settingKeys.rules, answer);
    },
  });
  const checks = showChecks ? checkRules(rows) : {};
  const problem = isApiError(save.error) ? save.error.problem : undefined;
  const errorsAt = (path: string) => [
    ...(checks[path] ? [checks[path]] : []),
    ...(problem?.errors ?? []).filter((i) => ruleFieldOf(i.path) === path).map(describeIssue),
  ];
  const change = (next: RuleRow[]) => {
    setRows(next);
    onSaved(false);
  };
  const add = () => {
    const used = new Set(rows.map((r) => r.contactMethodId));
    const method = methods.find((m) => !used.has(m.id)) ?? methods[0];
    const row = { key: `new:${nextKey.current++}`, contactMethodId: method?.id ?? "", delay: "0" };
    focusKey.current = row.key;
    change([...rows, row]);
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkRules(rows);
    setShowChecks(true);
    const first = Object.keys(found)[0];
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    save.mutate();
  };
  const dirty = !sameRules(rows, base);

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label="Notification rules">
      <ErrorAlert error={save.error} fields={rows.map((_, i) => String(i))} focus />
      {rows.length === 0 ? (
        <p className="state">No rules: you are emailed at your account's address at once.</p>
      ) : null}
      <ol className="rule-rows">
        {rows.map((row, index) => (
          <li key={row.key}>
            <fieldset>
              <legend>Rule {index + 1}</legend>
              <div className="rule-fields">
                <Field label="Contact method" errors={errorsAt(`${index}.contactMethodId`)}>
                  {(control) => (
                    <select
                      {...control}
                      data-rule={row.key}
                      data-field={`${index}.contactMethodId`}
                      value={row.contactMethodId}
                      onChange={(e) =>
                        change(
                          rows.map((r, i) => (i === index ? { ...r, contactMethodId: e.target.value } : r)),
                        )
                      }
                    >
                      {methods.map((m) => (
                        <option key={m.id} value={m.id}>
                          {describeMethod(m)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field
                  label="Minutes after the page"
                  hint="0 for at once"
                  errors={errorsAt(`${index}.delay`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      data-field={`${index}.delay`}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={1440}
                      value={row.delay}
                      onChange={(e) =>
                        change(rows.map((r, i) => (i === index ? { ...r, delay: e.target.value } : r)))
                      }
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => {
                    const neighbour = rows[index + 1] ?? rows[index - 1];
                    focusKey.current = neighbour?.key ?? null;
                    change(rows.filter((_, i) => i !== index));
                    save.reset();
                  }}
                >
                  Remove rule {index + 1}
                </button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button type="button" className="button" onClick={add} disabled={rows.length >= MAX_RULES}>
          Add a rule
        </button>
        <button type="submit" className="button button-primary" disabled={!dirty || save.isPending}>
          {save.isPending ? "Saving…" : "Save rules"}
        </button>
      </div>
      {saved ? (
        <p className="notice notice-ok spaced" role="status">
          Saved. The next page follows these rules.
        </p>
      ) : null}
    </form>
  );
}
