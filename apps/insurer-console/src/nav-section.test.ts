import { describe, expect, it } from "vitest";
import { navSectionOf } from "./nav-section.ts";

describe("navSectionOf", () => {
  it("for staff: the queue covers claims, clinics cover their endpoints", () => {
    expect(navSectionOf("/", "insurer")).toBe("queue");
    expect(navSectionOf("/queue", "insurer")).toBe("queue");
    expect(navSectionOf("/claims/clm_01JDQ7", "insurer")).toBe("queue");
    expect(navSectionOf("/overview", "insurer")).toBe("overview");
    expect(navSectionOf("/clinics", "insurer")).toBe("clinics");
    expect(navSectionOf("/clinics/cln_01JDQ7", "insurer")).toBe("clinics");
    expect(navSectionOf("/endpoints/ep_01JDQ7", "insurer")).toBe("clinics");
  });

  it("for a clinic: its endpoints are home", () => {
    expect(navSectionOf("/", "clinic")).toBe("endpoints");
    expect(navSectionOf("/endpoints", "clinic")).toBe("endpoints");
    expect(navSectionOf("/endpoints/ep_01JDQ7/", "clinic")).toBe("endpoints");
  });

  it("marks nothing for a path that is no view", () => {
    expect(navSectionOf("/no/such/view", "insurer")).toBeNull();
  });
});
