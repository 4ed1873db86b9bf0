import {
  businessDaysBetween,
  type ClaimStatus,
  DECISION_STATUSES,
  isTerminal,
} from "@claimwire/contracts";
import { html } from "hono/html";
import type { ClaimWithHistory } from "../claims/list-claims.ts";
import { formatMoney } from "../money-format.ts";
import type { ReconciliationState } from "../reconciliation/reconciliation-state.ts";
import type { ClaimFormErrors, ClaimFormField, ClaimFormValues } from "./claim-form.ts";

export type ClaimFormState = {
  values: ClaimFormValues;
  errors: ClaimFormErrors;
  /** A problem with the submission as a whole (e.g. the insurer refused it). */
  problem?: string;
};

/** The clinic's claims page: every claim with its status and deadline, and the claim form. */
export function claimsPage({
  claims,
  now,
  form,
  reconciliation,
}: {
  claims: ClaimWithHistory[];
  now: number;
  form: ClaimFormState;
  /** How reconciliation with the insurer's event feed last went (shown under the table). */
  reconciliation?: ReconciliationState;
}) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Claims — claimwire clinic</title>
    <style>
      body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
      table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
      th, td { border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      form { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
      label { display: flex; flex-direction: column; gap: .25rem; font-weight: 600; }
      input, select { font: inherit; padding: .3rem; }
      .error { color: #b00020; font-weight: 400; }
      .problem { background: #fdecea; border: 1px solid #b00020; padding: .6rem; margin-bottom: 1rem; }
      .overdue { color: #b00020; }
    </style>
  </head>
  <body>
    <h1>Claims</h1>
    ${claims.length === 0 ? html`<p>No claims yet.</p>` : claimsTable(claims, now)}
    ${reconciliation ? reconciliationLine(reconciliation) : ""}
    <p><a href="/">Refresh</a> · <a href="/api/claims">JSON</a></p>
    <h2>Submit a claim</h2>
    ${form.problem ? html`<div class="problem" role="alert">${form.problem}</div>` : ""}
    <form method="post" action="/claims" novalidate>
      ${field(form, "clinicReference", "Clinic reference", { placeholder: "INV-2026-0042" })}
      ${field(form, "patientRef", "Patient token", { placeholder: "pat_8f3k2m9x" })}
      ${field(form, "policyNumber", "Policy number", { placeholder: "POL-123456" })}
      ${field(form, "currency", "Currency", { placeholder: "EUR" })}
      ${field(form, "code", "Procedure code", { placeholder: "99213" })}
      ${field(form, "serviceDate", "Service date", { type: "date" })}
      ${field(form, "quantity", "Quantity", { inputmode: "numeric" })}
      ${field(form, "unitAmount", "Unit amount (e.g. 85.00)", { inputmode: "decimal" })}
      <div><button type="submit">Submit claim</button></div>
    </form>
  </body>
</html>`;
}

function claimsTable(claims: ClaimWithHistory[], now: number) {
  return html`<table>
      <thead>
        <tr>
          <th>Reference</th><th>Status</th><th>Version</th><th>Total</th><th>Approved / paid</th>
          <th>Decision due</th><th>Time left</th><th>Updated</th>
        </tr>
      </thead>
      <tbody>
        ${claims.map(
          (claim) => html`<tr data-claim-id="${claim.id}">
          <td>${claim.clinicReference}</td>
          <td>${statusLabel(claim.status as ClaimStatus)}${
            claim.reasonCodes.length > 0 && claim.status !== "paid"
              ? html` <small>(${claim.reasonCodes.join(", ")})</small>`
              : ""
          }</td>
          <td class="num">${claim.version}</td>
          <td class="num">${formatMoney(claim.totalAmount, claim.currency)}</td>
          <td class="num">${decidedAmount(claim)}</td>
          <td>${claim.decisionDueAt.slice(0, 10)}</td>
          <td>${timeLeft(claim, now)}</td>
          <td>${claim.updatedAt.replace("T", " ").slice(0, 16)} UTC</td>
        </tr>`,
        )}
      </tbody>
    </table>`;
}

/** "Last reconciled: 2026-11-30 09:00 UTC (3 events applied)", and a failed latest attempt. */
function reconciliationLine(state: ReconciliationState) {
  const at = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;
  const applied = `${state.lastRunNew} event${state.lastRunNew === 1 ? "" : "s"} applied`;
  if (state.lastRunAt === null) {
    return html`<p class="reconciliation">Last reconciled: never</p>`;
  }
  if (state.lastRunError === null) {
    return html`<p class="reconciliation">Last reconciled: ${at(state.lastRunAt)} (${applied})</p>`;
  }
  return html`<p class="reconciliation">
      Last reconciled: ${state.lastSuccessAt ? at(state.lastSuccessAt) : "never"}
      <span class="error">(the latest attempt, ${at(state.lastRunAt)}, failed: ${state.lastRunError})</span>
    </p>`;
}

function field(
  form: ClaimFormState,
  name: ClaimFormField,
  label: string,
  attrs: { placeholder?: string; type?: string; inputmode?: string },
) {
  const error = form.errors[name];
  return html`<label>
        ${label}
        <input name="${name}" value="${form.values[name]}" type="${attrs.type ?? "text"}"
          placeholder="${attrs.placeholder ?? ""}" inputmode="${attrs.inputmode ?? "text"}"
          ${error ? html`aria-invalid="true" aria-describedby="${name}-error"` : ""}>
        ${error ? html`<span class="error" id="${name}-error">${label}: ${error}</span>` : ""}
      </label>`;
}

function statusLabel(status: ClaimStatus): string {
  return status.replace("_", " ");
}

function decidedAmount(claim: ClaimWithHistory): string {
  if (claim.paidAmount !== null) return `${formatMoney(claim.paidAmount, claim.currency)} paid`;
  if (claim.approvedAmount !== null) return formatMoney(claim.approvedAmount, claim.currency);
  return "—";
}

function timeLeft(claim: ClaimWithHistory, now: number) {
  const status = claim.status as ClaimStatus;
  // The deadline stops running once the insurer has decided (or the claim is closed).
  if (isTerminal(status) || DECISION_STATUSES.includes(status)) return "—";
  const days = businessDaysBetween(new Date(now), new Date(claim.decisionDueAt));
  if (days < 0) return html`<span class="overdue">overdue by ${-days} business days</span>`;
  return `${days} business day${days === 1 ? "" : "s"} left`;
}
