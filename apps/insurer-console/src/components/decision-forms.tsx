import { allowedTransitions, type Claim, type ClaimStatus } from "@claimwire/contracts";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import type { RouterInputs } from "../app-router.ts";
import { amountStep, formatMoney, toMinorUnits } from "../format.ts";
import { BusyButton } from "./busy-button.tsx";

type Decision = RouterInputs["claims"]["decide"];
type Decide = (decision: Decision) => void;

/** "MISSING_REFERRAL, NOT_COVERED" → ["MISSING_REFERRAL", "NOT_COVERED"] */
function parseReasonCodes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
}

/**
 * One form per transition the state machine allows insurer staff from the claim's status
 * (contracts/src/claim-status.ts), each asking only for what that decision needs; the
 * submit button is named after the decision ("Approve", "Reject", …).
 */
export function DecisionForms({
  claim,
  decide,
  pending,
}: {
  claim: Claim;
  decide: Decide;
  pending: boolean;
}) {
  const next = allowedTransitions(claim.status, "insurer");
  if (next.length === 0) {
    return <p>This claim is {claim.status === "paid" ? "paid" : "closed"}: no further decision.</p>;
  }
  return (
    <div className="decisions">
      {next.map((to) => (
        <DecisionForm key={to} claim={claim} to={to} decide={decide} pending={pending} />
      ))}
    </div>
  );
}

function DecisionForm({
  claim,
  to,
  decide,
  pending,
}: {
  claim: Claim;
  to: ClaimStatus;
  decide: Decide;
  pending: boolean;
}) {
  const [reasons, setReasons] = useState("");
  const [amount, setAmount] = useState("");
  const [paymentReference, setPaymentReference] = useState("");
  const ids = { title: useId(), reasons: useId(), amount: useId(), payment: useId() };
  const claimId = claim.id;

  const reasonField = (
    <Field id={ids.reasons} label="Reason codes" hint="Upper-case codes, e.g. MISSING_REFERRAL">
      <input
        id={ids.reasons}
        required
        aria-describedby={`${ids.reasons}-hint`}
        value={reasons}
        onChange={(event) => setReasons(event.target.value)}
        autoCapitalize="characters"
        spellCheck={false}
      />
    </Field>
  );

  let title: string;
  let action: string;
  let fields: ReactNode = null;
  let toDecision: () => Decision;
  switch (to) {
    case "in_review":
      title = claim.status === "needs_info" ? "Information received" : "Start the review";
      action = claim.status === "needs_info" ? "Resume review" : "Start review";
      toDecision = () => ({ claimId, to });
      break;
    case "needs_info":
      title = "Ask the clinic for information";
      action = "Request info";
      fields = reasonField;
      toDecision = () => ({ claimId, to, reasonCodes: parseReasonCodes(reasons) });
      break;
    case "approved":
      title = `Approve the full ${formatMoney(claim.total)}`;
      action = "Approve";
      toDecision = () => ({ claimId, to });
      break;
    case "partially_approved":
      title = "Approve part of the claim";
      action = "Partial approval";
      fields = (
        <>
          <Field id={ids.amount} label={`Approved amount (${claim.currency})`}>
            <input
              id={ids.amount}
              type="number"
              inputMode="decimal"
              min="0"
              step={amountStep(claim.currency)}
              required
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          </Field>
          {reasonField}
        </>
      );
      toDecision = () => ({
        claimId,
        to,
        approvedAmount: toMinorUnits(amount, claim.currency),
        reasonCodes: parseReasonCodes(reasons),
      });
      break;
    case "rejected":
      title = "Reject the claim";
      action = "Reject";
      fields = reasonField;
      toDecision = () => ({ claimId, to, reasonCodes: parseReasonCodes(reasons) });
      break;
    case "paid":
      title = "Record the payment";
      action = "Mark paid";
      fields = (
        <Field id={ids.payment} label="Payment reference" hint="Letters, digits and '-'">
          <input
            id={ids.payment}
            required
            aria-describedby={`${ids.payment}-hint`}
            pattern="[A-Za-z0-9\-]{1,64}"
            value={paymentReference}
            onChange={(event) => setPaymentReference(event.target.value)}
            spellCheck={false}
          />
        </Field>
      );
      toDecision = () => ({ claimId, to, paymentReference: paymentReference.trim() });
      break;
    default:
      return null; // withdrawn is the clinic's move, never offered to staff
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    decide(toDecision());
  }

  return (
    <form className="decision" onSubmit={submit} aria-labelledby={ids.title}>
      <h3 id={ids.title}>{title}</h3>
      {fields}
      <BusyButton type="submit" busy={pending} className={to === "rejected" ? "danger" : undefined}>
        {action}
      </BusyButton>
    </form>
  );
}

function Field({
  id,
  label,
  hint,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
