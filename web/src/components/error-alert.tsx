import { useEffect, useRef } from "react";
import { describeIssue, fieldPath, isApiError, unclaimedIssues } from "../api/problem";

interface ErrorAlertProps {
  error: unknown;
  /** Fields the form shows errors beside; their issues are not repeated here. */
  fields?: readonly string[];
  onRetry?: () => void;
  /** Move the focus here when the error appears (after a submit). */
  focus?: boolean;
}

/** What failed, why, and how to fix it: the problem document's detail and its field issues. */
export function ErrorAlert({ error, fields = [], onRetry, focus = false }: ErrorAlertProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus && error) ref.current?.focus();
  }, [focus, error]);
  if (!error) return null;
  const apiError = isApiError(error) ? error : null;
  const title = apiError ? apiError.action : "Something went wrong";
  const detail = apiError ? apiError.problem.detail : error instanceof Error ? error.message : String(error);
  const issues = apiError ? unclaimedIssues(apiError.problem, fields) : [];
  const fieldCount = apiError ? apiError.problem.errors.length - issues.length : 0;
  return (
    <div className="alert" role="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{title}</p>
      <p>{detail}</p>
      {issues.length > 0 ? (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {fieldPath(issue.path) ? <code>{fieldPath(issue.path)}</code> : null} {describeIssue(issue)}
            </li>
          ))}
        </ul>
      ) : null}
      {fieldCount > 0 ? <p className="small">The fields to fix are marked below.</p> : null}
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
