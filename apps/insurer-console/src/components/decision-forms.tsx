import type { Claim } from "@claimwire/contracts";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import {
  type Decision,
  type DecisionInput,
  type DecisionOption,
  decisionOptions,
  toDecision,
} from "../decisions.ts";
import { amountStep } from "../format.ts";
import { BusyButton } from "./busy-button.tsx";

type Decide = (decision: Decision) => void;

/** One form per decision staff may take from the claim's status (decisions.ts). */
export function DecisionForms({
  claim,
  decide,
  pending,
}: {
  claim: Claim;
  decide: Decide;
  pending: boolean;
}) {
  const options = decisionOptions(claim);
  if (options.length === 0) {
    return <p>This claim is {claim.status === "paid" ? "paid" : "closed"}: no further decision.</p>;
  }
  return (
    <div className="decisions">
      {options.map((option) => (
        <DecisionForm
          key={option.to}
          claim={claim}
          option={option}
          decide={decide}
          pending={pending}
        />
      ))}
    </div>
  );
}

function DecisionForm({
  claim,
  option,
  decide,
  pending,
}: {
  claim: Claim;
  option: DecisionOption;
  decide: Decide;
  pending: boolean;
}) {
  const [input, setInput] = useState<DecisionInput>({
    reasonCodes: "",
    approvedAmount: "",
    paymentReference: "",
  });
  const ids = { title: useId(), reasons: useId(), amount: useId(), payment: useId() };
  const set = (field: keyof DecisionInput) => (value: string) =>
    setInput((current) => ({ ...current, [field]: value }));

  const fields: Record<DecisionOption["asks"][number], ReactNode> = {
    approvedAmount: (
      <Field key="amount" id={ids.amount} label={`Approved amount (${claim.currency})`}>
        <input
          id={ids.amount}
          type="number"
          inputMode="decimal"
          min="0"
          step={amountStep(claim.currency)}
          required
          value={input.approvedAmount}
          onChange={(event) => set("approvedAmount")(event.target.value)}
        />
      </Field>
    ),
    reasonCodes: (
      <Field
        key="reasons"
        id={ids.reasons}
        label="Reason codes"
        hint="Upper-case codes, e.g. MISSING_REFERRAL"
      >
        <input
          id={ids.reasons}
          required
          aria-describedby={`${ids.reasons}-hint`}
          value={input.reasonCodes}
          onChange={(event) => set("reasonCodes")(event.target.value)}
          autoCapitalize="characters"
          spellCheck={false}
        />
      </Field>
    ),
    paymentReference: (
      <Field
        key="payment"
        id={ids.payment}
        label="Payment reference"
        hint="Letters, digits and '-'"
      >
        <input
          id={ids.payment}
          required
          aria-describedby={`${ids.payment}-hint`}
          pattern="[A-Za-z0-9\-]{1,64}"
          value={input.paymentReference}
          onChange={(event) => set("paymentReference")(event.target.value)}
          spellCheck={false}
        />
      </Field>
    ),
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    decide(toDecision(claim, option.to, input));
  }

  return (
    <form className="decision" onSubmit={submit} aria-labelledby={ids.title}>
      <h3 id={ids.title}>{option.title}</h3>
      {option.asks.map((field) => fields[field])}
      <BusyButton
        type="submit"
        busy={pending}
        className={option.to === "rejected" ? "danger" : undefined}
      >
        {option.action}
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
