import { NavLink, Route, Routes } from "react-router";
import { NotFoundScreen } from "../not-found-screen";
import { ComponentsPanel } from "./components-panel";
import { MaintenancesPanel } from "./maintenances-panel";
import { StatusPageOverview } from "./overview";
import { SettingsPanel } from "./settings-panel";
import "./status-page.css";

/** The public status page from the inside: how it looks now, its components and settings, maintenances. */
export default function StatusPageScreen() {
  return (
    <>
      <nav aria-label="Status page">
        <ul className="tabs">
          <li>
            <NavLink to="/status-page" end>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to="/status-page/components">Components</NavLink>
          </li>
          <li>
            <NavLink to="/status-page/settings">Settings</NavLink>
          </li>
          <li>
            <NavLink to="/status-page/maintenances">Maintenances</NavLink>
          </li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<StatusPageOverview />} />
        <Route path="components" element={<ComponentsPanel />} />
        <Route path="settings" element={<SettingsPanel />} />
        <Route path="maintenances" element={<MaintenancesPanel />} />
        <Route path="*" element={<NotFoundScreen />} />
      </Routes>
    </>
  );
}
