import {
  allowedValues,
  asObject,
  deepEqual,
  describeTypes,
  displayPath,
  isAny,
  isNever,
  type JsonSchema,
  type JsonSchemaObject,
  type JsonType,
  joinPath,
  jsonTypes,
  listValues,
  resolveRef,
  typeAccepted,
  unionBranches,
} from "./json-schema.ts";

/** One way a producer's value could be rejected by a consumer, at a path in the value. */
export type Incompatibility = { path: string; problem: string };

/**
 * Checks, structurally, that every value the producer's schema allows is accepted by the
 * consumer's schema (producer ⊆ consumer): a field the consumer requires is present and
 * required in the producer; types are compatible (integer fits number); the producer's
 * enum/const values are all among the consumer's; string and number bounds are no
 * looser; nested objects, arrays, records and unions are compared recursively.
 *
 * It is sound for what it reports, not complete. Not covered (see docs/contracts.md):
 * regular expressions are compared for equality only (or tested against the producer's
 * enum/const values); `format`s likewise; refinements and transforms are not in JSON
 * Schema at all; a producer value accepted only by the consumer's union as a whole (not
 * by one branch) is reported; `prefixItems`, `propertyNames`, `patternProperties`,
 * `dependentRequired`, `if/then/else`, `not` and `uniqueItems` are ignored.
 *
 * @example
 * checkCompatible(producerJsonSchema, z.toJSONSchema(consumerReads, { io: "input" }));
 * // → [{ path: "data.approvedAmount", problem: "the consumer requires it; the producer does not send it" }]
 */
export function checkCompatible(producer: JsonSchema, consumer: JsonSchema): Incompatibility[] {
  const found = compare(producer, consumer, "", { producer, consumer }, 0);
  const seen = new Set<string>();
  return found.filter((i) => {
    const key = `${i.path}\u0000${i.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Roots = { producer: JsonSchema; consumer: JsonSchema };

function compare(
  producerIn: JsonSchema,
  consumerIn: JsonSchema,
  path: string,
  roots: Roots,
  depth: number,
): Incompatibility[] {
  if (depth > 64) return [{ path, problem: "nested too deeply to compare (a recursive schema?)" }];
  const p = resolveRef(producerIn, roots.producer);
  const c = resolveRef(consumerIn, roots.consumer);
  if (isAny(c) || isNever(p)) return [];

  // A producer union: every branch must be acceptable on its own.
  const producerBranches = unionBranches(p);
  if (producerBranches) {
    return producerBranches.flatMap((b) => compare(b, c, path, roots, depth + 1));
  }
  if (Array.isArray(p.allOf)) {
    // An intersection produces values that satisfy every member: it is enough that one
    // member (with the keywords beside allOf) is acceptable.
    const { allOf, ...rest } = p;
    const members = (allOf as JsonSchema[]).map((m) => ({ ...rest, ...asObject(m) }));
    const results = members.map((m) => compare(m, c, path, roots, depth + 1));
    return results.find((r) => r.length === 0) ?? fewest(results);
  }

  // A consumer union: the producer's value must fit (at least) one branch.
  const consumerBranches = unionBranches(c);
  if (consumerBranches) {
    const results = consumerBranches.map((b) => compare(p, b, path, roots, depth + 1));
    return results.find((r) => r.length === 0) ?? fewest(results);
  }
  if (Array.isArray(c.allOf)) {
    const { allOf, ...rest } = c;
    return [rest, ...(allOf as JsonSchema[])].flatMap((m) => compare(p, m, path, roots, depth + 1));
  }

  const problems: Incompatibility[] = [];
  const producerTypes = jsonTypes(p);
  const consumerTypes = jsonTypes(c);
  if (consumerTypes) {
    if (!producerTypes) {
      return [
        {
          path,
          problem: `the consumer accepts only ${describeTypes(consumerTypes)}; the producer does not constrain it`,
        },
      ];
    }
    const stray = [...producerTypes].filter((t) => !typeAccepted(t, consumerTypes));
    if (stray.length === 1 && stray[0] === "null") {
      problems.push({ path, problem: "the producer may send null; the consumer requires a value" });
    } else if (stray.length > 0) {
      problems.push({
        path,
        problem: `the producer may send ${describeTypes(stray)}; the consumer accepts only ${describeTypes(consumerTypes)}`,
      });
    }
    if (stray.length === producerTypes.size) return problems;
  }
  const common = (t: JsonType) =>
    (producerTypes === undefined ||
      producerTypes.has(t) ||
      (t === "number" && producerTypes.has("integer"))) &&
    (consumerTypes === undefined || typeAccepted(t, consumerTypes));

  const producerValues = allowedValues(p);
  const consumerValues = allowedValues(c);
  if (consumerValues) {
    if (!producerValues) {
      problems.push({
        path,
        problem: `the consumer accepts only ${listValues(consumerValues)}; the producer may send any ${producerTypes ? describeTypes(producerTypes) : "value"}`,
      });
    } else {
      const extra = producerValues.filter((v) => !consumerValues.some((x) => deepEqual(x, v)));
      if (extra.length > 0) {
        problems.push({
          path,
          problem: `the producer may send ${listValues(extra)}, which the consumer does not accept (it accepts ${listValues(consumerValues)})`,
        });
      }
    }
  }

  if (common("string")) problems.push(...compareStrings(p, c, path, producerValues));
  if (common("number") || common("integer")) {
    problems.push(...compareBounds(p, c, path, "minimum", "maximum", producerValues));
  }
  if (common("object")) problems.push(...compareObjects(p, c, path, roots, depth));
  if (common("array")) problems.push(...compareArrays(p, c, path, roots, depth));
  return problems;
}

function fewest(results: Incompatibility[][]): Incompatibility[] {
  return results.reduce((best, r) => (r.length < best.length ? r : best));
}

function compareStrings(
  p: JsonSchemaObject,
  c: JsonSchemaObject,
  path: string,
  producerValues: unknown[] | undefined,
): Incompatibility[] {
  const problems: Incompatibility[] = [];
  const strings = producerValues?.filter((v): v is string => typeof v === "string");
  if (typeof c.pattern === "string" && c.pattern !== p.pattern) {
    const regex = new RegExp(c.pattern, "u");
    if (strings) {
      const failing = strings.filter((s) => !regex.test(s));
      if (failing.length > 0) {
        problems.push({
          path,
          problem: `the producer may send ${listValues(failing)}, which does not match the consumer's pattern /${c.pattern}/`,
        });
      }
    } else {
      problems.push({
        path,
        problem: `the consumer requires the pattern /${c.pattern}/; the producer guarantees ${typeof p.pattern === "string" ? `/${p.pattern}/` : "no pattern"} (only identical patterns are proven compatible)`,
      });
    }
  }
  if (typeof c.format === "string" && c.format !== p.format && !strings) {
    problems.push({
      path,
      problem: `the consumer requires the format '${c.format}'; the producer guarantees ${typeof p.format === "string" ? `'${p.format}'` : "no format"}`,
    });
  }
  problems.push(...compareBounds(p, c, path, "minLength", "maxLength", strings));
  return problems;
}

/**
 * The producer's lower bound must be at least the consumer's and its upper bound at most
 * the consumer's (`minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`).
 * With a closed set of producer values, the values themselves are checked instead.
 */
function compareBounds(
  p: JsonSchemaObject,
  c: JsonSchemaObject,
  path: string,
  lowKey: "minimum" | "minLength" | "minItems",
  highKey: "maximum" | "maxLength" | "maxItems",
  producerValues?: readonly unknown[],
): Incompatibility[] {
  const problems: Incompatibility[] = [];
  const exclusive = lowKey === "minimum";
  const low = bound(c, lowKey, exclusive ? "exclusiveMinimum" : undefined);
  const high = bound(c, highKey, exclusive ? "exclusiveMaximum" : undefined);
  const measure = (v: unknown) =>
    typeof v === "number"
      ? v
      : typeof v === "string"
        ? [...v].length
        : Array.isArray(v)
          ? v.length
          : undefined;
  if (producerValues) {
    for (const value of producerValues) {
      const m = measure(value);
      if (m === undefined) continue;
      if (low && (m < low.value || (low.exclusive && m === low.value))) {
        problems.push({
          path,
          problem: `the producer may send ${JSON.stringify(value)}, below the consumer's ${low.label}`,
        });
      }
      if (high && (m > high.value || (high.exclusive && m === high.value))) {
        problems.push({
          path,
          problem: `the producer may send ${JSON.stringify(value)}, above the consumer's ${high.label}`,
        });
      }
    }
    return problems;
  }
  const pLow = bound(p, lowKey, exclusive ? "exclusiveMinimum" : undefined);
  const pHigh = bound(p, highKey, exclusive ? "exclusiveMaximum" : undefined);
  if (
    low &&
    (!pLow ||
      pLow.value < low.value ||
      (pLow.value === low.value && low.exclusive && !pLow.exclusive))
  ) {
    problems.push({
      path,
      problem: `the consumer requires ${low.label}; the producer guarantees ${pLow ? pLow.label : "no lower bound"}`,
    });
  }
  if (
    high &&
    (!pHigh ||
      pHigh.value > high.value ||
      (pHigh.value === high.value && high.exclusive && !pHigh.exclusive))
  ) {
    problems.push({
      path,
      problem: `the consumer requires ${high.label}; the producer guarantees ${pHigh ? pHigh.label : "no upper bound"}`,
    });
  }
  return problems;
}

function bound(
  schema: JsonSchemaObject,
  key: string,
  exclusiveKey: string | undefined,
): { value: number; exclusive: boolean; label: string } | undefined {
  const inclusive = typeof schema[key] === "number" ? (schema[key] as number) : undefined;
  const exclusive =
    exclusiveKey && typeof schema[exclusiveKey] === "number"
      ? (schema[exclusiveKey] as number)
      : undefined;
  const isLow = key.startsWith("min");
  if (inclusive === undefined && exclusive === undefined) return undefined;
  // The tighter of the two, when both are given.
  if (
    exclusive !== undefined &&
    (inclusive === undefined || (isLow ? exclusive >= inclusive : exclusive <= inclusive))
  ) {
    return { value: exclusive, exclusive: true, label: `${exclusiveKey} ${exclusive}` };
  }
  return { value: inclusive!, exclusive: false, label: `${key} ${inclusive}` };
}

function compareObjects(
  p: JsonSchemaObject,
  c: JsonSchemaObject,
  path: string,
  roots: Roots,
  depth: number,
): Incompatibility[] {
  const problems: Incompatibility[] = [];
  const pProps = (p.properties ?? {}) as Record<string, JsonSchema>;
  const cProps = (c.properties ?? {}) as Record<string, JsonSchema>;
  const pRequired = new Set((p.required ?? []) as string[]);
  const cRequired = new Set((c.required ?? []) as string[]);
  const pExtra = p.additionalProperties as JsonSchema | undefined;
  const cExtra = c.additionalProperties as JsonSchema | undefined;
  // What the producer may send under a name it does not declare.
  const producerUndeclared: JsonSchema = pExtra === undefined ? true : pExtra;

  for (const key of new Set([...Object.keys(cProps), ...cRequired])) {
    const at = joinPath(path, key);
    const consumerSchema = cProps[key] ?? true;
    const declared = key in pProps || pRequired.has(key);
    if (declared) {
      if (cRequired.has(key) && !pRequired.has(key)) {
        problems.push({
          path: at,
          problem: "the consumer requires it; the producer may leave it out (optional)",
        });
      }
      problems.push(
        ...compare(pProps[key] ?? producerUndeclared, consumerSchema, at, roots, depth + 1),
      );
    } else if (cRequired.has(key)) {
      problems.push({
        path: at,
        problem: "the consumer requires it; the producer does not send it",
      });
    } else if (!isNever(producerUndeclared)) {
      // Optional for the consumer, undeclared but allowed by the producer: whatever the
      // producer may put there must still be acceptable.
      problems.push(...compare(producerUndeclared, consumerSchema, at, roots, depth + 1));
    }
  }

  if (cExtra !== undefined && !isAny(cExtra)) {
    for (const key of Object.keys(pProps)) {
      if (key in cProps) continue;
      const at = joinPath(path, key);
      if (isNever(cExtra)) {
        problems.push({
          path: at,
          problem: "the producer sends it; the consumer rejects properties it does not know",
        });
      } else {
        problems.push(...compare(pProps[key]!, cExtra, at, roots, depth + 1));
      }
    }
    if (!isNever(producerUndeclared)) {
      if (isNever(cExtra)) {
        problems.push({
          path: displayPath(path),
          problem:
            "the producer may send properties it does not declare; the consumer rejects unknown properties",
        });
      } else {
        problems.push(
          ...compare(producerUndeclared, cExtra, joinPath(path, "*"), roots, depth + 1),
        );
      }
    }
  }
  return problems;
}

function compareArrays(
  p: JsonSchemaObject,
  c: JsonSchemaObject,
  path: string,
  roots: Roots,
  depth: number,
): Incompatibility[] {
  const problems = compareBounds(p, c, path, "minItems", "maxItems");
  if (c.items !== undefined) {
    const producerItems = (p.items ?? true) as JsonSchema;
    problems.push(
      ...compare(producerItems, c.items as JsonSchema, joinPath(path, "[]"), roots, depth + 1),
    );
  }
  return problems;
}
