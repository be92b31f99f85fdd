// Fault rules as tests and users write them (the start option `faults`, CLI `--fault`,
// `POST /_emulator/faults`), and their validation: impossible rules are refused with a reason,
// defaults are filled in. faults.ts applies them to requests.
import { operations } from "../../model/panoramaModel";
import { S3_OPERATIONS } from "../s3/routing";

export const FAULT_ACTIONS = ["fail", "drop", "applyAndDrop", "delay", "hang"] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** A rule as given by a test or a user; every field but the match is optional. */
export interface FaultRuleInput {
  /**
   * Operations the rule matches: Panorama names (`CreatePackageImportJob`), S3 names (`PutObject`),
   * optionally prefixed by the service (`s3:PutObject`), `panorama:*`, `s3:*` or `*`. @default "*"
   */
  operation?: string | string[];
  /**
   * What happens to a matched request. @default "fail" when `error` or `status` is given,
   * "delay" when only `latencyMs` is, else "fail"
   */
  action?: FaultAction;
  /**
   * The error a `fail` answers with: any modeled Panorama error (status from the model),
   * `ThrottlingException` (429) or any other name (500 unless `status` says otherwise); S3 error
   * codes for S3 operations. @default InternalServerException (S3: InternalError)
   */
  error?: string;
  /** HTTP status of a `fail`. @default from `error`, see above */
  status?: number;
  /** @default a sentence naming the rule */
  message?: string;
  /** Extra members of the JSON error body, e.g. `{ ResourceId, ResourceType }` for a ConflictException. */
  members?: Record<string, unknown>;
  /** Added before the action (alone: a slow but otherwise normal answer). @default 0 */
  latencyMs?: number;
  /** Chance that a matching request is affected. @default 1 */
  probability?: number;
  /** Affect only the first N requests the rule hits, then let everything through. @default unlimited */
  count?: number;
  /** Seeds the rule's own random stream, so probabilistic rules repeat exactly. @default Math.random */
  seed?: number;
}

/** A rule as the emulator holds and lists it. */
export interface FaultRule {
  id: string;
  operation: string[];
  action: FaultAction;
  error?: string;
  status?: number;
  message?: string;
  members?: Record<string, unknown>;
  latencyMs: number;
  probability: number;
  count?: number;
  seed?: number;
  /** Requests whose operation matched the rule. */
  matched: number;
  /** Requests the rule affected (at most `count`). */
  hits: number;
}

/** Refused rules; the control API answers 400 with this message. */
export class FaultRuleError extends Error {}

let panoramaOperationNames: Set<string> | undefined;

/** Validates a rule and fills in its defaults; impossible rules are refused with a reason. */
export function normalizeRule(input: FaultRuleInput, id: string): FaultRule {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new FaultRuleError("A fault rule must be a JSON object.");
  const known = [
    "operation",
    "action",
    "error",
    "status",
    "message",
    "members",
    "latencyMs",
    "probability",
    "count",
    "seed",
  ];
  for (const key of Object.keys(input))
    if (!known.includes(key))
      throw new FaultRuleError(
        `Unknown fault rule field "${key}"; known fields: ${known.join(", ")}.`,
      );

  const operation =
    input.operation === undefined
      ? ["*"]
      : Array.isArray(input.operation)
        ? input.operation
        : [input.operation];
  if (operation.length === 0)
    throw new FaultRuleError('operation must name at least one operation (or "*").');
  panoramaOperationNames ??= new Set(operations().map((o) => o.name));
  for (const p of operation) {
    if (typeof p !== "string")
      throw new FaultRuleError("operation must be a string or a list of strings.");
    if (p === "*") continue;
    const [service, name] = p.includes(":") ? p.split(":", 2) : [undefined, p];
    if (service !== undefined && service !== "panorama" && service !== "s3")
      throw new FaultRuleError(`operation "${p}": the service prefix must be panorama: or s3:.`);
    if (name === "*" && service !== undefined) continue;
    const inPanorama = panoramaOperationNames.has(name);
    const inS3 = (S3_OPERATIONS as readonly string[]).includes(name);
    if (
      (service === "panorama" && !inPanorama) ||
      (service === "s3" && !inS3) ||
      (!inPanorama && !inS3)
    )
      throw new FaultRuleError(
        `operation "${p}" is not an operation the emulator serves; use a Panorama operation name (e.g. CreatePackageImportJob), ` +
          `an S3 one (${S3_OPERATIONS.join(", ")}), "panorama:*", "s3:*" or "*".`,
      );
  }

  const hasError = input.error !== undefined || input.status !== undefined;
  const action: FaultAction =
    input.action ?? (hasError ? "fail" : input.latencyMs !== undefined ? "delay" : "fail");
  if (!(FAULT_ACTIONS as readonly string[]).includes(action))
    throw new FaultRuleError(
      `action must be one of ${FAULT_ACTIONS.join(", ")}, got ${JSON.stringify(action)}.`,
    );
  if (hasError && action !== "fail")
    throw new FaultRuleError(`error and status only apply to action "fail", not "${action}".`);
  if (
    input.error !== undefined &&
    (typeof input.error !== "string" || !/^[A-Za-z][A-Za-z0-9.]*$/.test(input.error))
  )
    throw new FaultRuleError(
      `error must be an error name such as InternalServerException, got ${JSON.stringify(input.error)}.`,
    );
  if (
    input.status !== undefined &&
    !(Number.isInteger(input.status) && input.status >= 400 && input.status <= 599)
  )
    throw new FaultRuleError(
      `status must be an HTTP error status (400-599), got ${JSON.stringify(input.status)}.`,
    );
  if (input.message !== undefined && typeof input.message !== "string")
    throw new FaultRuleError("message must be a string.");
  if (
    input.members !== undefined &&
    (typeof input.members !== "object" || input.members === null || Array.isArray(input.members))
  )
    throw new FaultRuleError("members must be an object of extra error body members.");
  const latencyMs = input.latencyMs ?? 0;
  if (
    typeof latencyMs !== "number" ||
    !Number.isFinite(latencyMs) ||
    latencyMs < 0 ||
    latencyMs > 600_000
  )
    throw new FaultRuleError(
      `latencyMs must be a number of milliseconds between 0 and 600000, got ${JSON.stringify(input.latencyMs)}.`,
    );
  const probability = input.probability ?? 1;
  if (typeof probability !== "number" || !(probability > 0 && probability <= 1))
    throw new FaultRuleError(
      `probability must be a number greater than 0 and at most 1, got ${JSON.stringify(input.probability)}.`,
    );
  if (input.count !== undefined && !(Number.isInteger(input.count) && input.count >= 1))
    throw new FaultRuleError(
      `count must be a positive integer, got ${JSON.stringify(input.count)}.`,
    );
  if (input.seed !== undefined && !Number.isInteger(input.seed))
    throw new FaultRuleError(`seed must be an integer, got ${JSON.stringify(input.seed)}.`);

  const rule: FaultRule = {
    id,
    operation: [...operation],
    action,
    latencyMs,
    probability,
    matched: 0,
    hits: 0,
  };
  for (const key of ["error", "status", "message", "members", "count", "seed"] as const)
    if (input[key] !== undefined)
      (rule as unknown as Record<string, unknown>)[key] = structuredClone(input[key]);
  return rule;
}
