import { isTRPCClientError } from "@claimwire/sdk";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ClaimWithHistory } from "../claims/list-claims.ts";
import { listClaims } from "../claims/list-claims.ts";
import { type SubmitClaimDeps, submitClaim } from "../claims/submit-claim.ts";
import { loadReconciliationState } from "../reconciliation/reconciliation-state.ts";
import { type ClaimFormValues, claimFormValues, parseClaimForm } from "./claim-form.ts";
import { type ClaimFormState, claimsPage } from "./claims-page.ts";

export type WebRoutesOptions = SubmitClaimDeps & {
  /** Called after a submitted claim was stored (wakes the processor for early webhooks). */
  onSubmitted: () => void;
};

/** The clinic staff's pages: `GET /` (claims and the claim form), `POST /claims`, `GET /api/claims`. */
export function createWebRoutes(options: WebRoutesOptions) {
  const { db, clock } = options;
  const page = (form: ClaimFormState, claims: ClaimWithHistory[] = listClaims(db)) =>
    claimsPage({ claims, now: clock.now(), form, reconciliation: loadReconciliationState(db) });

  return new Hono()
    .get("/", (c) => c.html(page({ values: emptyForm(clock.now()), errors: {} })))
    .get("/api/claims", (c) => c.json({ claims: listClaims(db) }))
    .post("/claims", bodyLimit({ maxSize: 64 * 1024 }), async (c) => {
      const values = claimFormValues(await c.req.parseBody());
      const parsed = parseClaimForm(values);
      if (!parsed.ok) return c.html(page({ values, errors: parsed.errors }), 400);
      try {
        await submitClaim(options, parsed.input);
      } catch (error) {
        const { status, problem } = describeSubmitError(error);
        options.logger.warn({ status, error: (error as Error).message }, "claim submission failed");
        return c.html(page({ values, errors: {}, problem }), status);
      }
      options.onSubmitted();
      return c.redirect("/", 303);
    });
}

function emptyForm(now: number): ClaimFormValues {
  return {
    clinicReference: "",
    patientRef: "",
    policyNumber: "",
    currency: "EUR",
    code: "",
    serviceDate: new Date(now).toISOString().slice(0, 10),
    quantity: "1",
    unitAmount: "",
  };
}

function describeSubmitError(error: unknown): { status: ContentfulStatusCode; problem: string } {
  if (!isTRPCClientError(error)) throw error;
  const code = error.data?.code;
  if (code === undefined) {
    return { status: 502, problem: "The insurer could not be reached. Please try again shortly." };
  }
  if (code === "UNAUTHORIZED" || code === "FORBIDDEN") {
    return { status: 502, problem: "The insurer refused this clinic's API key (CLINIC_API_KEY)." };
  }
  const status = code === "CONFLICT" ? 409 : code === "BAD_REQUEST" ? 400 : 502;
  return { status, problem: `The insurer refused the claim: ${error.message}` };
}
