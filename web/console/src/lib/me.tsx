/**
 * Who is signed in (GET /v1/me), for every screen below the shell: the menu and the change buttons follow the
 * roles. A leader reads everything and changes nothing: screens render no change buttons for them (`useCanChange`),
 * and the services refuse anyway.
 */
import { createContext, type ReactNode, useContext } from "react";
import type { Me } from "../session/api";

export type Role = "admin" | "office" | "unit" | "leader";

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(MeContext);
  if (me === null) throw new Error("useMe outside MeProvider");
  return me;
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.roles.some((role) => (roles as string[]).includes(role));
}

/** May this user change the office's things (plans, drafts, tasks)? The office and administrators may. */
export function useCanChange(): boolean {
  return hasRole(useMe(), "admin", "office");
}
