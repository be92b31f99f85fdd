// SDK clients for the provider process: created lazily, one per region (and endpoint), never captured in the
// serialized provider. Endpoint and credentials follow the SDK's own conventions
// (AWS_ENDPOINT_URL_PANORAMA / AWS_ENDPOINT_URL, the default credential chain).
import { PanoramaClient } from "@aws-sdk/client-panorama";
import { installRequestBudget, RequestBudget, requestBudgetOptions } from "./requestBudget";

/** Stack configuration seen by `configure`, kept for the life of the provider process. */
let configuredRegion: string | undefined;

/** Called from the provider's `configure` with the stack's `aws:region`, if any. */
export function setConfiguredRegion(region: string | undefined): void {
  configuredRegion = region || undefined;
}

/** The part of a ConfigureRequest's config the provider reads. */
export interface StackConfig {
  get(key: string): string | undefined;
}

/** Called from every resource's `configure` with the stack's configuration. */
export function applyStackConfig(config: StackConfig): void {
  setConfiguredRegion(config.get("aws:region"));
}

/** Region precedence: the resource's `region` input, stack config `aws:region`, then AWS_REGION. */
export function resolveRegion(inputRegion: unknown): string {
  const region =
    (typeof inputRegion === "string" && inputRegion) ||
    configuredRegion ||
    process.env.AWS_REGION ||
    process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new Error(
      "No AWS region: set the resource's `region` input, the stack config `aws:region` " +
        "(pulumi config set aws:region us-east-1) or the AWS_REGION environment variable.",
    );
  }
  return region;
}

/**
 * Retries: the SDK's standard strategy retries throttling (429, Throttling*), 5xx and network
 * errors with exponential backoff and full jitter (base 50 ms, 1 s after throttling, cap 20 s) and
 * never retries other 4xx. Six attempts ride out a short 429 storm from the account-wide
 * 5 requests/s limit; longer trouble is left to the callers' own budget (retry.ts, wait.ts), so
 * "standard" rather than "adaptive": one client serves every resource of the provider process
 * and adaptive mode would slow all of them after one throttled call. AWS_MAX_ATTEMPTS /
 * AWS_RETRY_MODE still override.
 */
export const DEFAULT_MAX_ATTEMPTS = 6;

/**
 * HTTP timeouts. The SDK has none by default, so a half-open connection (a NAT that forgot us
 * mid-wait) would hang `pulumi up` forever, past any waitOptions.timeoutSeconds. A Panorama call
 * answers in well under a second; a silent minute means the connection is gone, and the
 * TimeoutError is retried like any network error.
 */
export const HTTP_TIMEOUTS = { connectionTimeout: 10_000, requestTimeout: 60_000, throwOnRequestTimeout: true };

const clients = new Map<string, PanoramaClient>();
const budgets = new Map<string, RequestBudget>();

// The Panorama client is frozen at its last release (3.1076.0), so the SDK's warning about
// future releases needing Node 22 only clutters every `pulumi up` of the provider process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export function panoramaClient(region: string): PanoramaClient {
  return cachedClient(region, "retrying");
}

/**
 * A client that sends each request once: for calls the service cannot deduplicate
 * (CreateApplicationInstance has no ClientToken), where the SDK's own retry of a lost answer
 * would create a second resource. The caller decides what to do after a failure (createOnce.ts).
 * It shares the request budget of `panoramaClient(region)`.
 */
export function singleAttemptClient(region: string): PanoramaClient {
  return cachedClient(region, "single");
}

function cachedClient(region: string, attempts: "retrying" | "single"): PanoramaClient {
  // The SDK reads endpoint and credentials from the environment once, when the client is made;
  // keying on them gives a process whose environment changes (tests, a second emulator) a fresh client.
  const env = process.env;
  const account = [region, env.AWS_ENDPOINT_URL_PANORAMA, env.AWS_ENDPOINT_URL, env.AWS_ACCESS_KEY_ID, env.PULUMI_PANORAMA_MAX_RPS, env.PULUMI_PANORAMA_MAX_CREATE_RPS].join("\n");
  const key = `${account}\n${attempts}`;
  let client = clients.get(key);
  if (!client) {
    const maxAttempts = attempts === "single" ? { maxAttempts: 1 } : env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS };
    client = new PanoramaClient({
      region,
      ...maxAttempts,
      ...(env.AWS_RETRY_MODE ? {} : { retryMode: "standard" }),
      requestHandler: HTTP_TIMEOUTS,
    });
    // One budget per account and region, where the service counts its quotas; every resource of
    // the stack shares this process (requestBudget.ts).
    let budget = budgets.get(account);
    if (!budget) budgets.set(account, (budget = new RequestBudget(requestBudgetOptions(env))));
    installRequestBudget(client, budget);
    clients.set(key, client);
  }
  return client;
}

/** True for errors worth another status check: throttling, server faults, network trouble. */
export function isTransientError(error: unknown): boolean {
  const e = error as { $fault?: string; $metadata?: { httpStatusCode?: number }; name?: string; code?: string };
  if (!e || typeof e !== "object") return false;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (e.$fault === "server") return true;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(e.name ?? "")) return true;
  return ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "TimeoutError"].includes(e.code ?? e.name ?? "");
}

export function errorName(error: unknown): string | undefined {
  return (error as { name?: string })?.name;
}

/**
 * A short, user-facing description of an SDK error: class, HTTP status (or network error code),
 * the service's message, and for refused credentials what to check.
 */
export function describeError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name && e.name !== "Error" ? `${e.name}` : "Error";
  const detail = status ? ` (HTTP ${status})` : e?.code && e.code !== e.name ? ` (${e.code})` : "";
  // Callers go on with ". <next step>", so the service's own final period is dropped.
  const text = `${name}${detail}: ${String(e?.message ?? error).replace(/\.\s*$/, "")}`;
  if (name === "AccessDeniedException" || status === 403) return `${text} (${accessDeniedHint()})`;
  if (!status && e?.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)$/.test(e.code))
    return `${text} (endpoint ${endpointInUse()})`;
  return text;
}

/** What to check when the service refuses the request's signature or permissions. */
function accessDeniedHint(): string {
  return (
    "check the AWS credentials the provider runs with (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the " +
    "default credential chain), that they may call Panorama, that this machine's clock is right, and the " +
    `endpoint: ${endpointInUse()}`
  );
}

function endpointInUse(): string {
  const env = process.env;
  if (env.AWS_ENDPOINT_URL_PANORAMA) return `AWS_ENDPOINT_URL_PANORAMA=${env.AWS_ENDPOINT_URL_PANORAMA}`;
  if (env.AWS_ENDPOINT_URL) return `AWS_ENDPOINT_URL=${env.AWS_ENDPOINT_URL}`;
  return "the AWS default for the region";
}

/** Forgets the cached clients (and their retry quotas); the next call makes fresh ones. */
export function forgetClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
  budgets.clear();
}
