import pg from "pg";

/** The channel a commit that appended events is announced on (NOTIFY, delivered at commit). */
export const EVENTS_CHANNEL = "claimwire_events";

/** How often a process without a lease tries to take it, and checks that its session lives. */
const LEASE_CHECK_MS = 1_000;
/** A session that answers no `select 1` within this long is taken as dead. */
const PING_TIMEOUT_MS = 5_000;

export type LeaseHandlers = {
  /** This process got the lease: start the work. */
  onHeld(): void;
  /** This process lost the lease (its session ended): stop the work at once. */
  onLost(): void;
};

/**
 * One connection per process, beside the pool, for what lives as long as a session:
 * advisory locks held as leases, and LISTEN for other processes' commits. If it breaks,
 * every lease is lost with it (PostgreSQL releases a session's locks when it ends, so
 * another process takes them over) and it is opened again.
 */
export type ControlSession = {
  lease(key: bigint, handlers: LeaseHandlers): { release(): Promise<void> };
  onEventsCommitted(listener: () => void): () => void;
  close(): Promise<void>;
};

/**
 * @param self this process's NOTIFY payload: its own commits are announced in-process
 * already, so notifications carrying it are skipped.
 */
export function openControlSession(
  config: pg.ClientConfig,
  self: string,
  onError: (err: unknown) => void,
): ControlSession {
  const leases = new Map<bigint, { handlers: LeaseHandlers; held: boolean }>();
  const listeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client | undefined> | undefined;
  let closed = false;
  let busy = false;

  function lost(): void {
    client = undefined;
    for (const lease of leases.values()) {
      if (lease.held) {
        lease.held = false;
        lease.handlers.onLost();
      }
    }
  }

  async function connect(): Promise<pg.Client | undefined> {
    if (client) return client;
    connecting ??= (async () => {
      const next = new pg.Client({ ...config, keepAlive: true });
      next.on("error", (err) => {
        onError(err);
        if (client === next) lost();
      });
      next.on("end", () => {
        if (client === next) lost();
      });
      next.on("notification", (msg) => {
        if (msg.channel !== EVENTS_CHANNEL || msg.payload === self) return;
        for (const listener of listeners) listener();
      });
      try {
        await next.connect();
        // If this process's host or network dies, the server ends the session (and frees its
        // leases for another process) after about 5 + 2 × 3 = 11 s of silence.
        await next.query(
          "set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3",
        );
        await next.query(`listen ${EVENTS_CHANNEL}`);
        client = next;
        // Commits made while no session listened: look once, as if announced.
        for (const listener of listeners) listener();
        return next;
      } catch (err) {
        onError(err);
        await next.end().catch(() => {});
        return undefined;
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  }

  async function check(): Promise<void> {
    if (busy || closed) return;
    busy = true;
    try {
      const session = await connect();
      if (!session) return;
      const wanted = [...leases].filter(([, lease]) => !lease.held);
      if (wanted.length === 0) {
        // Holding everything: make sure the session that holds it is still alive.
        await withTimeout(session.query("select 1"), PING_TIMEOUT_MS);
        return;
      }
      for (const [key, lease] of wanted) {
        const { rows } = await session.query<{ taken: boolean }>(
          "select pg_try_advisory_lock($1) as taken",
          [key],
        );
        if (rows[0]?.taken && client === session && leases.get(key) === lease && !closed) {
          lease.held = true;
          lease.handlers.onHeld();
        }
      }
    } catch (err) {
      onError(err);
      const dead = client;
      lost();
      await dead?.end().catch(() => {});
    } finally {
      busy = false;
    }
  }

  const timer = setInterval(() => void check(), LEASE_CHECK_MS);
  timer.unref();
  void check();

  return {
    lease(key, handlers) {
      if (leases.has(key)) throw new Error(`lease ${key} is already asked for by this process`);
      const lease = { handlers, held: false };
      leases.set(key, lease);
      void check();
      return {
        async release() {
          leases.delete(key);
          if (!lease.held) return;
          lease.held = false;
          await client?.query("select pg_advisory_unlock($1)", [key]).catch(onError);
        },
      };
    },
    onEventsCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await connecting;
      const session = client;
      client = undefined;
      await session?.end().catch(() => {});
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
