import { Route, Routes } from "react-router";
import { NotFoundScreen } from "../not-found-screen";
import { ScheduleList } from "./schedule-list";
import { ScheduleScreen } from "./schedule-screen";
import "./oncall.css";

/** The plan's on-call schedules: who is on call now, the coming weeks, overrides and calendar feeds. */
export default function OnCallScreen() {
  return (
    <Routes>
      <Route index element={<ScheduleList />} />
      <Route path=":scheduleId" element={<ScheduleScreen />} />
      <Route path="*" element={<NotFoundScreen />} />
    </Routes>
  );
}
