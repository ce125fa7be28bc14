import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { api, call, callVoid } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import type { ContactMethod } from "../../api/types";
import { CopyField } from "../../components/copy-field";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { Time } from "../../components/time";
import { CONTACT_KINDS, type ContactKind, describeMethod, kindName } from "./contact-kinds";
import { settingKeys, useContactMethods } from "./queries";

const ME = { userId: "me" };

/** How I can be reached when paged: email, SMS, voice, ntfy, chat and signed webhooks. */
export function ContactMethods() {
  const methods = useContactMethods();
  const heading = useRef<HTMLHeadingElement>(null);
  const [said, setSaid] = useState("");
  const items = methods.data?.items ?? [];
  return (
    <section aria-labelledby="contact-methods-title" className="spaced">
      <h2 id="contact-methods-title" ref={heading} tabIndex={-1}>
        Contact methods
      </h2>
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {methods.isPending ? <Loading what="your contact methods" /> : null}
      <ErrorAlert error={methods.error} onRetry={() => void methods.refetch()} />
      {methods.data && items.length === 0 ? (
        <Empty>None yet: pages reach you by email at your account's address.</Empty>
      ) : null}
      {items.length > 0 ? (
        <TableWrap label="Contact methods">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Address</th>
                <th scope="col">Label</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((method) => (
                <MethodRow
                  key={method.id}
                  method={method}
                  onRemoved={(text) => {
                    setSaid(text);
                    heading.current?.focus();
                  }}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <AddContactMethod />
    </section>
  );
}

function MethodRow({ method, onRemoved }: { method: ContactMethod; onRemoved: (text: string) => void }) {
  const client = useQueryClient();
  const name = describeMethod(method);
  const remove = useMutation({
    mutationFn: () =>
      callVoid(
        `Could not remove ${name}`,
        api.DELETE("/api/v1/users/{userId}/contact-methods/{methodId}", {
          params: { path: { ...ME, methodId: method.id } },
        }),
      ),
    onSuccess: () => {
      onRemoved(`Removed ${name}, and its notification rules.`);
      void client.invalidateQueries({ queryKey: settingKeys.all });
    },
  });
  return (
    <tr>
      <td>{kindName(method.kind)}</td>
      <td className="method-address">
        {method.address}
        <ErrorAlert error={remove.error} />
      </td>
      <td>{method.label && method.label !== method.address ? method.label : ""}</td>
      <td>
        <Time iso={method.createdAt} />
      </td>
      <td>
        <button
          type="button"
          className="button button-small"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Remove ${name}? Its notification rules go too.`)) remove.mutate();
          }}
        >
          Remove<span className="visually-hidden"> {name}</span>
        </button>
      </td>
    </tr>
  );
}

function AddContactMethod() {
  const client = useQueryClient();
  const [kind, setKind] = useState<ContactKind>("email");
  const [address, setAddress] = useState("");
  const [label, setLabel] = useState("");
  const add = useMutation({
    mutationFn: () =>
      call(
        "Could not add the contact method",
        api.POST("/api/v1/users/{userId}/contact-methods", {
          params: { path: ME },
          body: { kind, address: address.trim(), ...(label.trim() ? { label: label.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setAddress("");
      setLabel("");
      void client.invalidateQueries({ queryKey: settingKeys.all });
    },
  });
  const problem = isApiError(add.error) ? add.error.problem : undefined;
  const info = CONTACT_KINDS.find((k) => k.kind === kind) ?? CONTACT_KINDS[0]!;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="panel spaced" onSubmit={submit} noValidate aria-labelledby="add-method-title">
      <h3 id="add-method-title">Add a contact method</h3>
      <ErrorAlert error={add.error} fields={["kind", "address", "label"]} focus />
      <div className="method-fields">
        <Field label="Kind" errors={errorsFor(problem, "kind")}>
          {(control) => (
            <select
              {...control}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ContactKind);
                add.reset();
              }}
            >
              {CONTACT_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Address" hint={info.hint} errors={errorsFor(problem, "address")}>
          {(control) => (
            <input
              {...control}
              type={info.input}
              autoComplete={info.input === "email" ? "email" : info.input === "tel" ? "tel" : "url"}
              spellCheck={false}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
          )}
        </Field>
        <Field label="Label (optional)" hint="Such as “work phone”." errors={errorsFor(problem, "label")}>
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={100}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
            />
          )}
        </Field>
      </div>
      <button type="submit" className="button button-primary" disabled={add.isPending}>
        {add.isPending ? "Adding…" : "Add contact method"}
      </button>
      {add.data ? (
        <div className="notice notice-ok spaced" role="status">
          <p>
            Added {describeMethod(add.data.contactMethod)}. Add a notification rule below to use it when
            paged.
          </p>
          {add.data.signingSecret ? (
            <CopyField
              label="Signing secret"
              value={add.data.signingSecret}
              hint="Shown only now. Your receiver checks each request's signature with it (Standard Webhooks)."
            />
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
