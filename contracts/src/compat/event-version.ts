/**
 * How an event type's version is expressed: in its name. `claim.approved` is version 1;
 * an incompatible successor is a new event type `claim.approved.v2` (then `.v3`, …) with
 * its own schema, delivered beside the old one while the old one is deprecated, so every
 * endpoint keeps receiving exactly the shape it subscribed to. See docs/contracts.md.
 */
export type EventTypeVersion = {
  /** The type without its version suffix: `claim.approved` for `claim.approved.v2`. */
  family: string;
  /** 1 for an unsuffixed type. */
  version: number;
};

const VERSION_SUFFIX = /^(.+)\.v([1-9][0-9]*)$/;

/**
 * @example
 * parseEventType("claim.approved");    // { family: "claim.approved", version: 1 }
 * parseEventType("claim.approved.v2"); // { family: "claim.approved", version: 2 }
 */
export function parseEventType(type: string): EventTypeVersion {
  const match = VERSION_SUFFIX.exec(type);
  if (!match) return { family: type, version: 1 };
  const version = Number(match[2]);
  if (version === 1) {
    throw new Error(`'${type}': version 1 has no suffix; write '${match[1]}'`);
  }
  return { family: match[1]!, version };
}

/** The name of the next version: `claim.approved` → `claim.approved.v2`. */
export function nextEventTypeVersion(type: string): string {
  const { family, version } = parseEventType(type);
  return `${family}.v${version + 1}`;
}

/** The name of a given version of a family: version 1 has no suffix. */
export function eventTypeName(family: string, version: number): string {
  return version === 1 ? family : `${family}.v${version}`;
}
