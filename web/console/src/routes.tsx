/**
 * The console's screens: each route, who sees it in the menu, and its page. The origin serves index.html at every
 * path that is not a service's (deploy/luoshi_ops/routing.py: /v1/…, /tasks/…, /docs … are the services'), so
 * these paths must never start with one of those.
 */
import type { ReactNode } from "react";
import type { Role } from "./lib/me";
import { AdminPage } from "./pages/admin/AdminPage";
import { AssessmentPage } from "./pages/assess/AssessmentPage";
import { AssessPage } from "./pages/assess/AssessPage";
import { Home } from "./pages/home/Home";
import { DraftReviewPage } from "./pages/imports/DraftReviewPage";
import { ImportsPage } from "./pages/imports/ImportsPage";
import { InboxPage } from "./pages/inbox/InboxPage";
import { OverviewPage } from "./pages/overview/OverviewPage";
import { PlanPage } from "./pages/plans/PlanPage";
import { PlansPage } from "./pages/plans/PlansPage";
import { AssignmentPage } from "./pages/tasks/AssignmentPage";
import { MyTasksPage } from "./pages/tasks/MyTasksPage";

const ALL: Role[] = ["admin", "office", "unit", "leader"];
const OFFICE: Role[] = ["admin", "office"];
const OVERSIGHT: Role[] = ["admin", "office", "leader"];

export type Screen = {
  path: string;
  element: ReactNode;
  /** In the side menu under this title (zh, en), for these roles; screens reached from another have none. */
  menu?: { zh: string; en: string; roles: Role[] };
};

export const SCREENS: Screen[] = [
  { path: "/", element: <Home />, menu: { zh: "待办", en: "To do", roles: ALL } },
  { path: "/overview", element: <OverviewPage />, menu: { zh: "总览", en: "Overview", roles: OVERSIGHT } },
  { path: "/plans", element: <PlansPage />, menu: { zh: "计划", en: "Plans", roles: OVERSIGHT } },
  { path: "/plans/:planId", element: <PlanPage /> },
  { path: "/imports", element: <ImportsPage />, menu: { zh: "导入计划", en: "Import a plan", roles: OFFICE } },
  { path: "/imports/:draftId", element: <DraftReviewPage /> },
  { path: "/my-tasks", element: <MyTasksPage />, menu: { zh: "我的任务", en: "My tasks", roles: ["unit"] } },
  { path: "/assignments/:assignmentId", element: <AssignmentPage /> },
  { path: "/assess", element: <AssessPage />, menu: { zh: "考核", en: "Assessment", roles: ALL } },
  { path: "/assess/:assessmentId", element: <AssessmentPage /> },
  { path: "/inbox", element: <InboxPage />, menu: { zh: "收件箱", en: "Inbox", roles: ALL } },
  { path: "/admin", element: <AdminPage />, menu: { zh: "管理", en: "Administration", roles: ["admin"] } },
];
