import { Field, FieldErrors } from "../../components/field";
import type { ComponentRow } from "./components-form";

interface RowProps {
  row: ComponentRow;
  index: number;
  count: number;
  groupsListId: string;
  errorsAt: (path: string) => string[];
  onUpdate: (patch: Partial<ComponentRow>) => void;
  onRename: (name: string) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

/** One component of the list: its fields, its options, and buttons to move or remove it. */
export function ComponentRowEditor({
  row,
  index,
  count,
  groupsListId,
  errorsAt,
  onUpdate,
  onRename,
  onMove,
  onRemove,
}: RowProps) {
  const at = (field: string) => `components.${index}.${field}`;
  const label = row.name.trim() || "new component";
  const idErrors = errorsAt(at("id"));
  return (
    <li className="component-row" data-row={row.key}>
      <fieldset>
        <legend>
          {index + 1}. {row.name.trim() || "New component"}
        </legend>
        <FieldErrors errors={errorsAt(`components.${index}`)} />
        <div className="component-fields">
          <Field label="Name" errors={errorsAt(at("name"))}>
            {(control) => (
              <input
                {...control}
                data-field={at("name")}
                type="text"
                value={row.name}
                maxLength={100}
                onChange={(e) => onRename(e.target.value)}
              />
            )}
          </Field>
          {row.isNew ? (
            <Field label="Id" hint="From the name; a-z, 0-9, - and _." errors={idErrors}>
              {(control) => (
                <input
                  {...control}
                  data-field={at("id")}
                  type="text"
                  className="code"
                  value={row.id}
                  maxLength={63}
                  autoCapitalize="none"
                  spellCheck={false}
                  onChange={(e) => onUpdate({ id: e.target.value, idEdited: true })}
                />
              )}
            </Field>
          ) : (
            <div className="field">
              <span className="field-label">Id</span>
              <code
                className="component-id"
                data-field={at("id")}
                tabIndex={idErrors.length ? -1 : undefined}
              >
                {row.id}
              </code>
              <FieldErrors errors={idErrors} />
            </div>
          )}
          <Field label="Group (optional)" errors={errorsAt(at("group"))}>
            {(control) => (
              <input
                {...control}
                data-field={at("group")}
                type="text"
                list={groupsListId}
                value={row.group}
                maxLength={100}
                onChange={(e) => onUpdate({ group: e.target.value })}
              />
            )}
          </Field>
          <Field label="Description (optional)" errors={errorsAt(at("description"))}>
            {(control) => (
              <input
                {...control}
                data-field={at("description")}
                type="text"
                value={row.description}
                maxLength={500}
                onChange={(e) => onUpdate({ description: e.target.value })}
              />
            )}
          </Field>
        </div>
        <div className="component-actions">
          <div className="component-options">
            <label className="choice">
              <input
                type="checkbox"
                checked={row.showUptime}
                onChange={(e) => onUpdate({ showUptime: e.target.checked })}
              />
              <span>Show uptime bars</span>
            </label>
            <label className="choice">
              <input
                type="checkbox"
                checked={row.onlyShowIfDegraded}
                onChange={(e) => onUpdate({ onlyShowIfDegraded: e.target.checked })}
              />
              <span>Only show when degraded</span>
            </label>
            <FieldErrors errors={[...errorsAt(at("showUptime")), ...errorsAt(at("onlyShowIfDegraded"))]} />
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button button-small"
              data-move="up"
              disabled={index === 0}
              onClick={() => onMove(-1)}
            >
              Move up<span className="visually-hidden"> {label}</span>
            </button>
            <button
              type="button"
              className="button button-small"
              data-move="down"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
            >
              Move down<span className="visually-hidden"> {label}</span>
            </button>
            <button type="button" className="button button-small button-quiet" onClick={onRemove}>
              Remove<span className="visually-hidden"> {label}</span>
            </button>
          </div>
        </div>
      </fieldset>
    </li>
  );
}
