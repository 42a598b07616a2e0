import { describe, expect, it } from "vitest";
import { auditActionName } from "./auditActions";

const zh = (z: string) => z;
const en = (_: string, e: string) => e;

describe("auditActionName", () => {
  it("names the workflow's moves in Chinese or English", () => {
    expect(auditActionName("transition:acknowledge", zh)).toBe("签收");
    expect(auditActionName("transition:return", en)).toBe("Returned");
    expect(auditActionName("decide:grant", zh)).toBe("同意延期");
  });

  it("shows a code it does not know as it is", () => {
    expect(auditActionName("transition:escalate", zh)).toBe("transition:escalate");
  });
});
