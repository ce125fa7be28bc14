import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";
import { Loading } from "../components/states";
import { SetupScreen } from "../screens/auth/setup-screen";
import { SignInScreen } from "../screens/auth/sign-in-screen";
import { DeclareScreen } from "../screens/declare/declare-screen";
import { IncidentsScreen } from "../screens/incidents/incidents-screen";
import { NotFoundScreen } from "../screens/not-found-screen";
import { RoomScreen } from "../screens/room/room-screen";
import { RequireSession } from "./session";
import { Shell } from "./shell";

// The plan, status page, on-call, alerts and admin screens load when opened, keeping the first screen small.
const PlanScreen = lazy(() => import("../screens/plan/plan-screen"));
const AfterScreen = lazy(() => import("../screens/after/after-screen"));
const OnCallScreen = lazy(() => import("../screens/oncall/oncall-screen"));
const AlertsScreen = lazy(() => import("../screens/alerts/alerts-screen"));
const MeScreen = lazy(() => import("../screens/me/me-screen"));
const ActionsScreen = lazy(() => import("../screens/actions/actions-screen"));
const ValuesScreen = lazy(() => import("../screens/values/values-screen"));
const AdminScreen = lazy(() => import("../screens/admin/admin-screen"));
const StatusPageScreen = lazy(() => import("../screens/status-page/status-page-screen"));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="sign-in" element={<SignInScreen />} />
      <Route path="setup" element={<SetupScreen />} />
      <Route
        element={
          <RequireSession>
            <Shell />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/incidents" replace />} />
        <Route path="incidents" element={<IncidentsScreen />} />
        <Route path="incidents/new" element={<DeclareScreen />} />
        <Route path="incidents/:ref" element={<RoomScreen />} />
        <Route
          path="incidents/:ref/:tab"
          element={
            <Suspense fallback={<Loading what="the review" />}>
              <AfterScreen />
            </Suspense>
          }
        />
        <Route
          path="alerts/*"
          element={
            <Suspense fallback={<Loading what="the alerts" />}>
              <AlertsScreen />
            </Suspense>
          }
        />
        <Route
          path="on-call/*"
          element={
            <Suspense fallback={<Loading what="the on-call schedules" />}>
              <OnCallScreen />
            </Suspense>
          }
        />
        <Route
          path="me"
          element={
            <Suspense fallback={<Loading what="your paging settings" />}>
              <MeScreen />
            </Suspense>
          }
        />
        <Route
          path="actions"
          element={
            <Suspense fallback={<Loading what="the action items" />}>
              <ActionsScreen />
            </Suspense>
          }
        />
        <Route
          path="values"
          element={
            <Suspense fallback={<Loading what="the values" />}>
              <ValuesScreen />
            </Suspense>
          }
        />
        <Route
          path="plan/*"
          element={
            <Suspense fallback={<Loading what="the plan" />}>
              <PlanScreen />
            </Suspense>
          }
        />
        <Route
          path="status-page/*"
          element={
            <Suspense fallback={<Loading what="the status page" />}>
              <StatusPageScreen />
            </Suspense>
          }
        />
        <Route
          path="admin/*"
          element={
            <Suspense fallback={<Loading what="the admin pages" />}>
              <AdminScreen />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFoundScreen />} />
      </Route>
    </Routes>
  );
}
