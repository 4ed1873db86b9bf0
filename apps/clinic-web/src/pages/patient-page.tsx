import { useQuery, useQueryClient } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { useCallback, useRef } from "react";
import { Trans, useTranslation } from "react-i18next";
import { intlLocale } from "../i18n/i18n.ts";
import { LanguageSwitch } from "../i18n/language-switch.tsx";
import { type PatientLiveState, usePatientLiveUpdates } from "../lib/use-patient-live-updates.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

/**
 * What a patient sees through their link: this one claim's status in plain words, when a
 * decision is due, and the steps so far. No amounts, codes or internal details.
 */
export function PatientPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  useTitle(t("patient.title"));
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refetch = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.patient.status.queryKey({ token }) }),
    [queryClient, trpc, token],
  );
  const liveNow = useRef<PatientLiveState>("connecting");
  const claim = useQuery(
    trpc.patient.status.queryOptions(
      { token },
      // While the live connection is down, the page looks again every minute.
      { refetchInterval: () => (liveNow.current === "live" ? false : 60_000) },
    ),
  );
  // The clinic tells an open page about news at once (server-sent events). The stream is
  // opened only for a link that showed a claim: a wrong one never asks for it.
  const live = usePatientLiveUpdates(token, refetch, Boolean(claim.data));
  liveNow.current = live;

  const known = (status: string) => (STATUSES.includes(status as never) ? status : "in_review");
  const date = (iso: string) =>
    new Intl.DateTimeFormat(intlLocale(i18n.language), {
      dateStyle: "long",
      timeZone: "UTC",
    }).format(new Date(iso));

  return (
    <main id="main" className="patient-page">
      <LanguageSwitch />
      {claim.isPending && (
        <p className="muted" role="status">
          {t("patient.loading")}
        </p>
      )}
      {(claim.error || claim.data === null) && (
        <>
          <h1>{t("patient.title")}</h1>
          <p className="error-box" role="alert">
            {claim.data === null ||
            (isTRPCClientError(claim.error) && claim.error.data?.httpStatus === 400)
              ? t("patient.invalidLink")
              : t("patient.loadFailed")}
          </p>
        </>
      )}
      {claim.data && (
        <>
          <p className="muted">{t("patient.claim", { reference: claim.data.clinicReference })}</p>
          <h1 data-testid="patient-status">{t(`status.${known(claim.data.status)}`)}</h1>
          <p className="patient-explanation">{t(`explanation.${known(claim.data.status)}`)}</p>
          {claim.data.decisionDue && (
            <p data-testid="patient-deadline">
              <Trans
                i18nKey={
                  claim.data.decisionDue.businessDaysLeft > 0
                    ? "patient.dueByWithDays"
                    : "patient.dueBy"
                }
                values={{
                  date: date(claim.data.decisionDue.dueAt),
                  count: claim.data.decisionDue.businessDaysLeft,
                }}
                components={{ strong: <strong /> }}
              />
            </p>
          )}
          <h2>{t("patient.history")}</h2>
          <ol className="patient-updates">
            {claim.data.updates.map((update) => (
              <li key={`${update.at}-${update.status}`}>
                <span>{t(`status.${known(update.status)}`)}</span>{" "}
                <span className="muted">{date(update.at)}</span>
              </li>
            ))}
          </ol>
          <p className="muted">{t("patient.lastUpdated", { date: date(claim.data.updatedAt) })}</p>
          <p className="muted" data-testid="patient-live">
            {live === "live" ? t("patient.live") : t("patient.polling")}
          </p>
        </>
      )}
    </main>
  );
}

/** The statuses the catalogues word; anything newer reads as "being reviewed". */
const STATUSES = [
  "submitted",
  "in_review",
  "needs_info",
  "approved",
  "partially_approved",
  "rejected",
  "paid",
  "withdrawn",
] as const;
