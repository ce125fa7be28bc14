import { NavLink, Route, Routes } from "react-router";
import { useSession } from "../../app/session";
import { NotFoundScreen } from "../not-found-screen";
import { PlanEditor } from "./plan-editor";
import { PlanSheet } from "./plan-sheet";
import { PlanVersions } from "./plan-versions";

/** The plan: read as the filled-in sheet, edit as YAML (admins), earlier versions, print. */
export default function PlanScreen() {
  const user = useSession();
  return (
    <>
      <nav aria-label="Plan">
        <ul className="tabs">
          <li>
            <NavLink to="/plan" end>
              Sheet
            </NavLink>
          </li>
          <li>
            <NavLink to="/plan/edit">{user.role === "admin" ? "Edit YAML" : "YAML"}</NavLink>
          </li>
          <li>
            <NavLink to="/plan/versions">Versions</NavLink>
          </li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<PlanSheet />} />
        <Route path="edit" element={<PlanEditor />} />
        <Route path="versions" element={<PlanVersions />} />
        <Route path="versions/:version" element={<PlanVersions />} />
        <Route path="*" element={<NotFoundScreen />} />
      </Routes>
    </>
  );
}
