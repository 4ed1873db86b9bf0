import type { Queue } from "@claimwire/queue";
import type { Logger } from "pino";
import type { Db } from "../db/open-database.ts";
import type { OutboxSignal } from "./outbox.ts";

/**
 * What domain functions need, passed explicitly so tests build the same object the
 * process does (create-insurer.ts). No tRPC here: routers call domain, never the reverse.
 */
export type Services = {
  db: Db;
  /** Wakes the outbox relay after a transaction that wrote events has committed. */
  outbox: OutboxSignal;
  /** The NATS KV bucket delivery workers read endpoint URLs and secrets from. */
  endpointConfigs: Queue["endpoints"];
  /** sha256 (hex) of the insurer staff API key; the key itself is not kept. */
  staffKeyHash: string;
  log: Logger;
};
