import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { QuarantinePanel } from "../components/quarantine-panel.tsx";
import { LoadError, Loading } from "../components/query-state.tsx";
import { ReconciliationStatus } from "../components/reconciliation-status.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { formatAmount, formatUtc, timeLeftLabel } from "../lib/format.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

/** The clinic's claims, kept current live as webhooks are processed. */
export function ClaimsPage() {
  const { t, i18n } = useTranslation();
  useTitle(t("claims.title"));
  const trpc = useTRPC();
  const claims = useQuery(trpc.claims.list.queryOptions());

  return (
    <>
      <div className="page-heading">
        <h1>{t("claims.heading")}</h1>
        <Link href="/claims/new" className="button">
          {t("claims.newClaim")}
        </Link>
      </div>
      <ReconciliationStatus />
      {claims.isPending && <Loading what={t("common.theClaims")} />}
      {claims.error && <LoadError error={claims.error} what={t("common.theClaims")} />}
      {claims.data?.length === 0 && (
        <p>
          {t("claims.none")} <Link href="/claims/new">{t("claims.submitFirst")}</Link>
        </p>
      )}
      {claims.data && claims.data.length > 0 && (
        <table className="claims-table">
          <caption className="visually-hidden">{t("claims.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("claims.reference")}</th>
              <th scope="col">{t("claims.status")}</th>
              <th scope="col">{t("claims.total")}</th>
              <th scope="col">{t("claims.due")}</th>
              <th scope="col">{t("claims.timeLeft")}</th>
              <th scope="col">{t("claims.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {claims.data.map((claim) => (
              <tr key={claim.id} data-testid="claim-row">
                <th scope="row" data-label={t("claims.reference")}>
                  <Link href={`/claims/${claim.id}`}>{claim.clinicReference}</Link>
                </th>
                <td data-label={t("claims.status")}>
                  <StatusBadge status={claim.status} />
                </td>
                <td data-label={t("claims.total")}>
                  {formatAmount(claim.total.amount, claim.total.currency, i18n.language)}
                </td>
                <td data-label={t("claims.due")}>{formatUtc(claim.deadline.dueAt).slice(0, 10)}</td>
                <td
                  data-label={t("claims.timeLeft")}
                  className={
                    claim.deadline.businessDaysLeft !== null && claim.deadline.businessDaysLeft < 0
                      ? "overdue"
                      : undefined
                  }
                >
                  {timeLeftLabel(claim.deadline.businessDaysLeft, t)}
                </td>
                <td data-label={t("claims.updated")}>{formatUtc(claim.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <QuarantinePanel />
    </>
  );
}
