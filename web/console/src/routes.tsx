/**
 * The console's screens: each route, who sees it in the menu, and its page. The origin serves index.html at every
 * path that is not a service's (deploy/luoshi_ops/routing.py: /v1/…, /tasks/…, /docs … are the services'), so
 * these paths must never start with one of those.
 */
import { Spin } from "antd";
import { type ComponentType, lazy, type ReactNode, Suspense } from "react";
import type { Role } from "./lib/me";
import { Home } from "./pages/home/Home";

/** A screen loaded when it is first opened: the sign-in page and 待办 load only their own code (make bench's
 * gzipped-JavaScript figure, budget 400 KB, counts what the sign-in page loads). */
function screen(load: () => Promise<Record<string, unknown>>, name: string): ReactNode {
  const Page = lazy(() => load().then((module) => ({ default: module[name] as ComponentType })));
  return (
    <Suspense fallback={<Spin />}>
      <Page />
    </Suspense>
  );
}

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
  { path: "/overview", element: screen(() => import("./pages/overview/OverviewPage"), "OverviewPage"), menu: { zh: "总览", en: "Overview", roles: OVERSIGHT } },
  { path: "/plans", element: screen(() => import("./pages/plans/PlansPage"), "PlansPage"), menu: { zh: "计划", en: "Plans", roles: OVERSIGHT } },
  { path: "/plans/:planId", element: screen(() => import("./pages/plans/PlanPage"), "PlanPage") },
  { path: "/imports", element: screen(() => import("./pages/imports/ImportsPage"), "ImportsPage"), menu: { zh: "导入计划", en: "Import a plan", roles: OFFICE } },
  { path: "/imports/:draftId", element: screen(() => import("./pages/imports/DraftReviewPage"), "DraftReviewPage") },
  { path: "/my-tasks", element: screen(() => import("./pages/tasks/MyTasksPage"), "MyTasksPage"), menu: { zh: "我的任务", en: "My tasks", roles: ["unit"] } },
  { path: "/assignments/:assignmentId", element: screen(() => import("./pages/tasks/AssignmentPage"), "AssignmentPage") },
  { path: "/assess", element: screen(() => import("./pages/assess/AssessPage"), "AssessPage"), menu: { zh: "考核", en: "Assessment", roles: ALL } },
  { path: "/assess/:assessmentId", element: screen(() => import("./pages/assess/AssessmentPage"), "AssessmentPage") },
  { path: "/indicators", element: screen(() => import("./pages/assess/IndicatorsPage"), "IndicatorsPage"), menu: { zh: "指标", en: "Indicators", roles: ALL } },
  { path: "/indicators/:indicatorId", element: screen(() => import("./pages/assess/IndicatorPage"), "IndicatorPage") },
  { path: "/inbox", element: screen(() => import("./pages/inbox/InboxPage"), "InboxPage"), menu: { zh: "消息", en: "Messages", roles: ALL } },
  { path: "/admin", element: screen(() => import("./pages/admin/AdminPage"), "AdminPage"), menu: { zh: "管理", en: "Administration", roles: ["admin"] } },
];
