import { NavLink, Route, Routes } from "react-router";
import { NotFoundScreen } from "../not-found-screen";
import { AlertList } from "./alert-list";
import { IntegrationsPanel } from "./integrations-panel";
import "./alerts.css";

/** Alerts from monitoring, and the integrations they come in through. */
export default function AlertsScreen() {
  return (
    <>
      <nav aria-label="Alerts">
        <ul className="tabs">
          <li>
            <NavLink to="/alerts" end>
              Alerts
            </NavLink>
          </li>
          <li>
            <NavLink to="/alerts/integrations">Integrations</NavLink>
          </li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<AlertList />} />
        <Route path="integrations" element={<IntegrationsPanel />} />
        <Route path="*" element={<NotFoundScreen />} />
      </Routes>
    </>
  );
}
