import { z } from "zod";

/**
 * The body of every REST error response (trpc-to-openapi's error body: the tRPC error
 * shape, with `code` as the tRPC code name). The HTTP status follows from `code`
 * (BAD_REQUEST 400, UNAUTHORIZED 401, FORBIDDEN 403, NOT_FOUND 404, CONFLICT 409,
 * TOO_MANY_REQUESTS 429, …).
 */
export const RestErrorSchema = z
  .object({
    message: z
      .string()
      .describe(
        "What went wrong, naming the thing or the field: `No claim with id 'clm_…'`, `patientRef: must be a pseudonymous token…`.",
      ),
    code: z
      .string()
      .describe(
        "The error code: BAD_REQUEST, PARSE_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, TOO_MANY_REQUESTS or INTERNAL_SERVER_ERROR (read unknown codes by their HTTP status).",
      ),
    data: z
      .object({
        code: z.string().describe("The same code."),
        httpStatus: z.number().int().describe("The response's HTTP status."),
        path: z.string().optional().describe("The procedure that answered, e.g. `claims.byId`."),
      })
      .optional(),
  })
  .describe("An error. The HTTP status says which kind; `message` says what, in words.");
export type RestError = z.infer<typeof RestErrorSchema>;
