import { readConsumerStates } from "@claimwire/queue/testing";
import type { ChaosSystem } from "../src/harness/chaos-system.ts";
import { endpointDeliveries } from "../src/harness/insurer-api-reads.ts";

/**
 * What a run that did not settle leaves to look at: where the open deliveries stand (the
 * insurer's API, per clinic endpoint), the state of each JetStream consumer (a consumer
 * that holds pending messages and delivers none is stalled), and what each worker logged
 * most.
 */
export async function describeStall(sys: ChaosSystem): Promise<string> {
  const lines: string[] = [];
  try {
    for (const clinic of sys.clinics) {
      const endpoints = await sys.staff.endpoints.list.query({ clinicId: clinic.clinicId });
      for (const endpoint of endpoints) {
        for (const status of ["sending", "retrying"] as const) {
          const open = await endpointDeliveries(sys.staff, endpoint.id, status);
          if (open.length === 0) continue;
          const oldest = open.map((d) => d.createdAt).sort()[0];
          const attempts = Math.max(...open.map((d) => d.attemptCount));
          lines.push(
            `${clinic.name} open deliveries: ${open.length} ${status} (oldest created ${oldest}, up to attempt ${attempts})`,
          );
        }
      }
    }
  } catch (err) {
    lines.push(`insurer API: ${(err as Error).message}`);
  }
  try {
    for (const c of await readConsumerStates(sys.natsServers)) {
      lines.push(
        `${c.stream}/${c.consumer}: pending ${c.pending}, ack pending ${c.ackPending}, ` +
          `redelivered ${c.redelivered}, waiting pulls ${c.waitingPulls}, delivered ` +
          `${c.delivered.consumerSeq}/${c.delivered.streamSeq} (last ${c.delivered.at}), ` +
          `ack floor ${c.ackFloor.consumerSeq}/${c.ackFloor.streamSeq}, created ${c.created}`,
      );
    }
  } catch (err) {
    lines.push(`JetStream: ${(err as Error).message}`);
  }
  for (const worker of [...sys.workers, ...sys.insurers]) {
    const counts = new Map<string, number>();
    for (const line of worker.started.flatMap((p) => p.logs)) {
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? "(not JSON)";
      counts.set(msg, (counts.get(msg) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
    lines.push(`${worker.name} logged: ${top.map(([msg, n]) => `${n}× ${msg}`).join("; ")}`);
    // The last warnings and errors, with their causes: what the process last complained of.
    const problems = worker.started
      .flatMap((p) => p.logs)
      .filter((line) => /"level":(40|50|60)/.test(line))
      .slice(-5);
    for (const line of problems) lines.push(`  ${worker.name}: ${line.slice(0, 400)}`);
  }
  return lines.join("\n");
}

/**
 * What the consumers' stall guards did (packages/queue consume.ts: a consumer that owes
 * waiting pulls messages and makes no progress is pulled from afresh, then re-created),
 * per process that logged it: the sign that nats-server stalled a consumer during the run.
 */
export function describeStallGuards(sys: ChaosSystem): string {
  const acted: string[] = [];
  for (const service of [...sys.insurers, ...sys.workers]) {
    const lines = service.started.flatMap((p) => p.logs);
    const renewed = lines.filter((line) => line.includes('"msg":"pulling afresh"'));
    const recreated = lines.filter((line) => line.includes('"msg":"re-creating the consumer"'));
    if (renewed.length + recreated.length === 0) continue;
    const first = /"err":\{[^}]*?"message":"([^"]*)"/.exec(renewed[0] ?? recreated[0] ?? "")?.[1];
    acted.push(
      `${service.name}: pulled afresh ${renewed.length}×, re-created the consumer ` +
        `${recreated.length}×${first ? ` (first: ${first})` : ""}`,
    );
  }
  return acted.length > 0 ? `stall guards: ${acted.join("; ")}` : "stall guards: never acted";
}

/**
 * Per process, how often it logged each warning or error (its `msg` and cause) from
 * `since` (epoch ms) on: what the faults did to it.
 */
export function describeComplaints(sys: ChaosSystem, since = 0): string {
  const lines: string[] = [];
  for (const service of [...sys.insurers, ...sys.workers]) {
    const counts = new Map<string, number>();
    for (const line of service.started.flatMap((p) => p.logs)) {
      if (!/"level":(40|50|60)/.test(line)) continue;
      if (Number(/"time":(\d+)/.exec(line)?.[1] ?? 0) < since) continue;
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? "(not JSON)";
      const cause = /"err":\{[^}]*?"message":"([^"]{0,80})/.exec(line)?.[1];
      const key = cause ? `${msg} (${cause})` : msg;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
    lines.push(`${service.name} complained: ${top.map(([msg, n]) => `${n}× ${msg}`).join("; ")}`);
  }
  return lines.length > 0 ? lines.join("\n") : "no process logged a warning or error";
}
