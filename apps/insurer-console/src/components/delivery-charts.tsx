import { useQuery } from "@tanstack/react-query";
import { LatencyChart } from "../charts/latency-chart.tsx";
import { OutcomeChart } from "../charts/outcome-chart.tsx";
import { trpc } from "../trpc.ts";
import { ErrorMessage, Loading } from "./feedback.tsx";

/**
 * An endpoint's attempts over time (per hour for 48 h, per day for 30 days) and how long
 * they took (`endpoints.deliveryStats`). Hourly buckets move slowly: fetched every 30 s
 * and with the rest of the view (refresh-endpoint.ts).
 */
export function DeliveryCharts({ endpointId }: { endpointId: string }) {
  const stats = useQuery(
    trpc.endpoints.deliveryStats.queryOptions({ endpointId }, { refetchInterval: 30_000 }),
  );
  return (
    <section aria-labelledby="delivery-charts">
      <h2 id="delivery-charts">Deliveries over time</h2>
      {stats.isPending ? <Loading what="the charts" /> : null}
      {stats.isError ? <ErrorMessage error={stats.error} /> : null}
      {stats.data ? (
        <div className="charts">
          <OutcomeChart
            title="Attempts per hour, last 48 hours"
            buckets={stats.data.hourly}
            grain="hour"
          />
          <OutcomeChart
            title="Attempts per day, last 30 days"
            buckets={stats.data.daily}
            grain="day"
          />
          <LatencyChart title="Attempt durations, last 30 days" latency={stats.data.latency} />
        </div>
      ) : null}
    </section>
  );
}
