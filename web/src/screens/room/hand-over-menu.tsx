import { useEffect, useRef, useState } from "react";
import { useUsers } from "../../api/queries";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";

interface Props {
  id: string;
  roleName: string;
  currentHolderId: string | null;
  onPick: (userId: string) => void;
  onClose: () => void;
}

/** The people who can hold a role (responders and admins, enabled): one click hands it over. */
export function HandOverMenu({ id, roleName, currentHolderId, onPick, onClose }: Props) {
  const users = useUsers();
  const [filter, setFilter] = useState("");
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("input, button")?.focus();
  }, []);
  const people = (users.data?.items ?? []).filter(
    (u) =>
      !u.disabled &&
      u.role !== "viewer" &&
      u.id !== currentHolderId &&
      `${u.name} ${u.email}`.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  const many = (users.data?.items.length ?? 0) > 8;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the list from any of its buttons.
    <div
      id={id}
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {users.isPending ? <Loading what="people" /> : null}
      <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      {many ? (
        <input
          type="search"
          aria-label={`Find someone to hold ${roleName}`}
          placeholder="Find a person"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      ) : null}
      {users.data && people.length === 0 ? (
        <p className="small muted">Nobody else can hold this role. Admins add people in Admin → Users.</p>
      ) : null}
      {people.length > 0 ? (
        <ul className="people" aria-label={`Hand ${roleName} over to`}>
          {people.map((person) => (
            <li key={person.id} className="person">
              <button type="button" onClick={() => onPick(person.id)}>
                {person.name} <span className="muted small">{person.email}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="button button-quiet button-small" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}
