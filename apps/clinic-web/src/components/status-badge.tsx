import { useTranslation } from "react-i18next";
import { statusLabel } from "../lib/format.ts";

/** A claim status as a coloured label; the colour only repeats what the words say. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{statusLabel(status, t)}</span>;
}
