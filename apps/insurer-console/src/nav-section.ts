import type { RouterOutputs } from "./app-router.ts";

type Role = RouterOutputs["me"]["role"];

/** The entries of the top navigation (`section` says which views each covers). */
export type NavSection = "queue" | "overview" | "clinics" | "endpoints";

/**
 * Which navigation entry the view at `location` ("/claims/clm_…", below /console) belongs
 * to, so that it is marked as the current page: a claim is part of the review queue, and
 * for staff an endpoint is part of its clinic. Each role's home is its first entry.
 */
export function navSectionOf(location: string, role: Role): NavSection | null {
  const first = location.split("/")[1] ?? "";
  if (first === "") return role === "insurer" ? "queue" : "endpoints";
  if (first === "queue" || first === "claims") return "queue";
  if (first === "overview") return role === "insurer" ? "overview" : null;
  if (first === "clinics") return "clinics";
  if (first === "endpoints") return role === "insurer" ? "clinics" : "endpoints";
  return null;
}
