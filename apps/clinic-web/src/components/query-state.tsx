import { isTRPCClientError } from "@trpc/client";
import { useTranslation } from "react-i18next";

/** What a page shows while its data loads or when it could not be loaded. */
export function Loading({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t("common.loading", { what })}
    </p>
  );
}

export function LoadError({ error, what }: { error: unknown; what: string }) {
  const { t } = useTranslation();
  const message = isTRPCClientError(error) ? error.message : t("common.unreachable");
  return (
    <p className="error-box" role="alert">
      {t("common.loadError", { what, message })}
    </p>
  );
}
