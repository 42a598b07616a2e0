/** The draft as the typed client reads it (openapi-fetch's view of DraftRead, which the review's parts share). */
import { tasks } from "../../lib/client";

export function getDraft(draftId: number) {
  return tasks.GET("/v1/plan-drafts/{draft_id}", { params: { path: { draft_id: draftId } } });
}

export type Draft = NonNullable<Awaited<ReturnType<typeof getDraft>>["data"]>;
export type DraftTask = NonNullable<Draft["draft"]["tasks"]>[number];
