import { useMutation, useQueryClient } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "wouter";
import {
  type ClaimFormValues,
  emptyClaimForm,
  emptyServiceLine,
  type FieldErrors,
  parseClaimForm,
  type ServiceLineValues,
} from "../lib/claim-form.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

const today = () => new Date().toISOString().slice(0, 10);

/** Submits a claim to the insurer; each field's problem is shown beside it. */
export function NewClaimPage() {
  const { t } = useTranslation();
  useTitle(t("form.title"));
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [values, setValues] = useState<ClaimFormValues>(() => emptyClaimForm(today()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const submit = useMutation(
    trpc.claims.submit.mutationOptions({
      onSuccess: async ({ claimId }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.claims.list.queryKey() });
        navigate(`/claims/${claimId}`);
      },
      onError: (error) => {
        const fields = isTRPCClientError(error)
          ? ((error.data as { fieldErrors?: FieldErrors | null } | undefined)?.fieldErrors ?? null)
          : null;
        setErrors(fields ?? {});
        setProblem(error.message || t("form.failed"));
        requestAnimationFrame(focusFirstError);
      },
    }),
  );

  /** Takes the person to the first marked field on the page, or else to the summary. */
  function focusFirstError() {
    const form = formRef.current;
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>("[data-summary]");
    target?.focus();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const parsed = parseClaimForm(values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      // Wait for the messages to render, then take the person to the first one.
      requestAnimationFrame(focusFirstError);
      return;
    }
    setErrors({});
    submit.mutate(parsed.input);
  }

  const setServiceLines = (change: (lines: ServiceLineValues[]) => ServiceLineValues[]) =>
    setValues((v) => ({ ...v, serviceLines: change(v.serviceLines) }));
  // A field's name is its contract path, the key its error comes back under too.
  const claimField = (
    name: keyof Omit<ClaimFormValues, "serviceLines" | "patientEmail" | "patientLanguage">,
  ) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((v) => ({ ...v, [name]: value })),
    error: localError(name, errors[name]),
  });
  const lineField = (
    line: ServiceLineValues,
    index: number,
    field: keyof Omit<ServiceLineValues, "key">,
  ) => ({
    name: `serviceLines.${index}.${field}`,
    value: line[field],
    onChange: (value: string) =>
      setServiceLines((lines) => lines.map((l, i) => (i === index ? { ...l, [field]: value } : l))),
    error: localError(`serviceLines.${index}.${field}`, errors[`serviceLines.${index}.${field}`]),
  });
  const errorCount = Object.keys(errors).length;

  /**
   * A field's message in the reader's language: the contract's own (English) words, or
   * the Russian catalogue's message for that kind of field.
   */
  function localError(name: string, message: string | undefined): string | undefined {
    if (message === undefined) return undefined;
    const key = `fieldErrors.${name.replace(/\.\d+\./g, "_").replaceAll(".", "_")}`;
    return t(key, { defaultValue: "" }) || message;
  }

  return (
    <>
      <h1>{t("form.heading")}</h1>
      <form ref={formRef} onSubmit={onSubmit} noValidate className="claim-form">
        <div data-summary tabIndex={-1} aria-live="polite">
          {(errorCount > 0 || problem) && (
            <div className="error-box" role="alert">
              {problem && <p>{problem}</p>}
              {errorCount > 0 && <p>{t("form.summary", { count: errorCount })}</p>}
            </div>
          )}
        </div>
        <fieldset>
          <legend>{t("form.claim")}</legend>
          <Field
            {...claimField("clinicReference")}
            label={t("form.clinicReference")}
            hint={t("form.clinicReferenceHint")}
            autoComplete="off"
          />
          <Field
            {...claimField("patientRef")}
            label={t("form.patientRef")}
            hint={t("form.patientRefHint", { example: "pat_8f3k2m9x" })}
            autoComplete="off"
          />
          <Field
            {...claimField("policyNumber")}
            label={t("form.policyNumber")}
            autoComplete="off"
          />
          <Field
            {...claimField("currency")}
            label={t("form.currency")}
            hint={t("form.currencyHint", { example: "EUR" })}
            className="narrow"
          />
        </fieldset>

        <fieldset>
          <legend>{t("form.patientEmailLegend")}</legend>
          <Field
            name="patientContact.email"
            value={values.patientEmail}
            onChange={(patientEmail) => setValues((v) => ({ ...v, patientEmail }))}
            error={localError("patientContact.email", errors["patientContact.email"])}
            label={t("form.patientEmail")}
            hint={t("form.patientEmailHint")}
            type="email"
            autoComplete="off"
          />
          <div className="field narrow">
            <label htmlFor="field-patientContact-language">{t("form.emailLanguage")}</label>
            <select
              id="field-patientContact-language"
              name="patientContact.language"
              value={values.patientLanguage}
              onChange={(event) =>
                setValues((v) => ({
                  ...v,
                  patientLanguage: event.target.value as ClaimFormValues["patientLanguage"],
                }))
              }
            >
              <option value="">{t("form.clinicDefault")}</option>
              <option value="en" lang="en">
                English
              </option>
              <option value="ru" lang="ru">
                Русский
              </option>
            </select>
          </div>
        </fieldset>

        {values.serviceLines.map((line, index) => (
          <fieldset key={line.key} className="service-line">
            <legend>{t("form.serviceLine", { number: index + 1 })}</legend>
            <Field {...lineField(line, index, "code")} label={t("form.code")} />
            <Field
              {...lineField(line, index, "serviceDate")}
              label={t("form.serviceDate")}
              type="date"
            />
            <Field
              {...lineField(line, index, "quantity")}
              label={t("form.quantity")}
              inputMode="numeric"
              className="narrow"
            />
            <Field
              {...lineField(line, index, "unitAmount")}
              label={t("form.unitAmount", {
                currency: values.currency.trim().toUpperCase() || t("form.someCurrency"),
              })}
              hint={t("form.unitAmountHint")}
              inputMode="decimal"
              className="narrow"
            />
            {values.serviceLines.length > 1 && (
              <button
                type="button"
                className="button-secondary"
                onClick={() => setServiceLines((lines) => lines.filter((l) => l.key !== line.key))}
              >
                {t("form.removeLine", { number: index + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        {errors.serviceLines && (
          <p className="error-text">
            {t("form.serviceLinesError", {
              error: localError("serviceLines", errors.serviceLines),
            })}
          </p>
        )}

        <div className="form-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() => setServiceLines((lines) => [...lines, emptyServiceLine(today())])}
          >
            {t("form.addLine")}
          </button>
          <button type="submit" disabled={submit.isPending}>
            {submit.isPending ? t("form.submitting") : t("form.submit")}
          </button>
        </div>
      </form>
    </>
  );
}

function fieldId(name: string): string {
  return `field-${name.replaceAll(".", "-")}`;
}

type FieldProps = {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: string;
  inputMode?: "numeric" | "decimal" | "text";
  autoComplete?: string;
  className?: string;
};

/** A labelled input whose hint and error are tied to it for screen readers. */
function Field({ name, label, value, onChange, error, hint, className, ...input }: FieldProps) {
  const { t } = useTranslation();
  const id = fieldId(name);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div className={`field ${className ?? ""} ${error ? "has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <input
        id={id}
        name={name}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {t("form.fieldError", { label, error })}
        </span>
      )}
    </div>
  );
}
