import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { api, call } from "../../api/client";
import { keys, usePlanDocument, useUsers } from "../../api/queries";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { Time } from "../../components/time";
import { useTitle } from "../../lib/use-title";

/** Every version of the plan, newest first; one version's YAML, printable, restorable by admins. */
export function PlanVersions() {
  useTitle("Plan versions");
  const { version } = useParams();
  const versions = useQuery({
    queryKey: keys.planVersions,
    queryFn: () => call("Could not load the plan's versions", api.GET("/api/v1/plan/versions")),
  });
  const current = usePlanDocument();
  const users = useUsers();
  const nameOf = (id: string | null) =>
    id ? (users.data?.items.find((u) => u.id === id)?.name ?? "someone") : "the plan file";
  return (
    <>
      <h1>Plan versions</h1>
      {versions.isPending ? <Loading what="versions" /> : null}
      <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />
      {versions.data && versions.data.items.length === 0 ? <Empty>No versions yet.</Empty> : null}
      {versions.data && versions.data.items.length > 0 ? (
        <TableWrap label="Plan versions">
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Saved</th>
                <th scope="col">From</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.items.map((v) => (
                <tr key={v.version}>
                  <td>
                    <Link to={`/plan/versions/${v.version}`}>Version {v.version}</Link>
                    {current.data?.version === v.version ? <span className="muted"> (current)</span> : null}
                  </td>
                  <td>
                    <Time iso={v.createdAt} />
                  </td>
                  <td>{v.source === "file" ? "the plan file" : "the web app or API"}</td>
                  <td>{nameOf(v.createdBy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {version ? (
        <VersionView version={Number(version)} isCurrent={current.data?.version === Number(version)} />
      ) : null}
    </>
  );
}

function VersionView({ version, isCurrent }: { version: number; isCurrent: boolean }) {
  const user = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const detail = useQuery({
    queryKey: keys.planVersion(version),
    queryFn: () =>
      call(
        `Could not load version ${version}`,
        api.GET("/api/v1/plan/versions/{version}", { params: { path: { version } } }),
      ),
    enabled: Number.isInteger(version) && version > 0,
  });
  const restore = useMutation({
    mutationFn: (yaml: string) =>
      call(`Could not restore version ${version}`, api.PUT("/api/v1/plan", { body: { yaml } })),
    onSuccess: (next) => {
      client.setQueryData(keys.plan, next);
      void client.invalidateQueries({ queryKey: keys.planVersions });
      navigate(`/plan/versions/${next.version}`);
    },
  });
  return (
    <section className="panel spaced" aria-labelledby="version-title">
      <div className="panel-header">
        <h2 id="version-title">Version {version}</h2>
        <div className="button-row">
          <a
            className="button button-small"
            href={`/api/v1/plan/export?format=html&version=${version}`}
            target="_blank"
            rel="noopener"
          >
            Printable page
          </a>
          {user.role === "admin" && !isCurrent && detail.data ? (
            <button
              type="button"
              className="button button-small"
              disabled={restore.isPending}
              onClick={() => detail.data && restore.mutate(detail.data.yaml)}
            >
              Make it the current plan
            </button>
          ) : null}
        </div>
      </div>
      {detail.isPending ? <Loading what={`version ${version}`} /> : null}
      <ErrorAlert error={detail.error} />
      <ErrorAlert error={restore.error} />
      {detail.data ? <pre className="preview">{detail.data.yaml}</pre> : null}
    </section>
  );
}
