// SDK clients for the provider process: created lazily, one per region (and endpoint), never captured in the
// serialized provider. Settings come from the stack config as @pulumi/aws reads it (aws:region, aws:profile,
// aws:endpoints), then the SDK's own conventions (AWS_ENDPOINT_URL_PANORAMA / AWS_ENDPOINT_URL, the default
// credential chain).
import { PanoramaClient } from "@aws-sdk/client-panorama";
import { fromIni } from "@aws-sdk/credential-provider-ini";
import {
  installRequestBudget,
  isThrottlingAnswer,
  RequestBudget,
  requestBudgetOptions,
} from "./requestBudget";
import { QUOTA_DIR_ENV, quotaSlotsFor } from "./quotaSlots";
import { systemWaitClock } from "./waitClock";
import { UsageError } from "../userError";

/** The services whose endpoints `aws:endpoints` (and the plugin's `panorama:endpoints`) may set. */
export const ENDPOINT_SERVICES = ["panorama", "s3"] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

/** True for an endpoint URL this package accepts: http:// or https:// and a host. */
export function isEndpointUrl(url: unknown): url is string {
  return typeof url === "string" && /^https?:\/\/[^\s/]+/.test(url);
}

/**
 * AWS settings from stack config. Only names are kept (a profile, never its keys), so nothing
 * secret is held or written anywhere.
 */
export interface AwsSettings {
  /** `aws:region`. */
  region?: string;
  /** `aws:profile`: credentials from that profile of the shared config and credentials files. */
  profile?: string;
  /** The `panorama` and `s3` entries of `aws:endpoints`. */
  endpoints: Partial<Record<EndpointService, string>>;
}

/** Reads stack config: `pulumi.Config` in a program, the `configure` request in the provider. */
export interface StackConfigSource {
  get(key: string): string | undefined;
}

/** Settings of the provider process, from the stack config its `configure` received. */
let stackSettings: AwsSettings = { endpoints: {} };

/**
 * Called from the provider's `configure`: takes `aws:region`, `aws:profile` and `aws:endpoints`
 * from the stack config for every client made afterwards. Throws on a malformed value, naming the
 * key and the rule, before any API call.
 */
export function applyStackConfig(config: StackConfigSource): void {
  stackSettings = readStackConfig(config);
}

/** The settings `applyStackConfig` took last (for clients of other services, e.g. S3). */
export function currentStackSettings(): AwsSettings {
  return stackSettings;
}

/** Parses the `aws:*` keys this package honours; see {@link applyStackConfig}. */
export function readStackConfig(config: StackConfigSource): AwsSettings {
  return {
    region: config.get("aws:region") || undefined,
    profile: config.get("aws:profile") || undefined,
    endpoints: parseEndpoints(config.get("aws:endpoints")),
  };
}

const ENDPOINTS_EXAMPLE = `[{"panorama":"http://127.0.0.1:4566","s3":"http://127.0.0.1:4566"}]`;

/**
 * `aws:endpoints` as @pulumi/aws takes it: a list of objects mapping a service to a URL (the
 * engine hands it over as JSON text). Entries for other services are for other providers.
 */
function parseEndpoints(raw: unknown): AwsSettings["endpoints"] {
  if (raw === undefined || raw === "") return {};
  let list: unknown = raw;
  if (typeof raw === "string") {
    try {
      list = JSON.parse(raw);
    } catch {
      throw new UsageError(
        `aws:endpoints: must be a JSON list of objects such as ${ENDPOINTS_EXAMPLE}, got ${JSON.stringify(raw)}`,
      );
    }
  }
  if (
    !Array.isArray(list) ||
    !list.every((e) => typeof e === "object" && e !== null && !Array.isArray(e))
  ) {
    throw new UsageError(
      `aws:endpoints: must be a list of objects such as ${ENDPOINTS_EXAMPLE}, got ${JSON.stringify(list)}`,
    );
  }
  const endpoints: AwsSettings["endpoints"] = {};
  list.forEach((entry: Record<string, unknown>, i) => {
    for (const service of ENDPOINT_SERVICES) {
      const url = entry[service];
      if (url === undefined || url === "") continue;
      if (!isEndpointUrl(url)) {
        throw new UsageError(
          `aws:endpoints[${i}].${service}: must be an http:// or https:// URL, got ${JSON.stringify(url)}`,
        );
      }
      endpoints[service] = url;
    }
  });
  return endpoints;
}

/** Region precedence: the resource's `region` input, stack config `aws:region`, then AWS_REGION. */
export function resolveRegion(inputRegion: unknown, settings: AwsSettings = stackSettings): string {
  const region =
    (typeof inputRegion === "string" && inputRegion) ||
    settings.region ||
    process.env.AWS_REGION ||
    process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UsageError(
      "No AWS region: set the resource's `region` input, the stack config `aws:region` " +
        "(pulumi config set aws:region us-east-1) or the AWS_REGION environment variable.",
    );
  }
  return region;
}

/**
 * Client options from the settings: an `aws:endpoints` entry wins over AWS_ENDPOINT_URL_* (as in
 * @pulumi/aws); `aws:profile` replaces the default chain with that profile alone, so a missing
 * profile is refused by name instead of falling through to other credentials.
 */
export function clientSettings(service: EndpointService, settings: AwsSettings = stackSettings) {
  const endpoint = settings.endpoints[service];
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(settings.profile ? { credentials: profileCredentials(settings.profile) } : {}),
  };
}

function profileCredentials(profile: string): ReturnType<typeof fromIni> {
  const load = fromIni({ profile });
  return async (options) => {
    try {
      return await load(options);
    } catch (error) {
      const refused = new Error(
        `aws:profile ${JSON.stringify(profile)}: no usable credentials for this profile (${(error as Error).message.replace(/\.\s*$/, "")}). ` +
          "Check the profile name and its entry in the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) " +
          "or config file (AWS_CONFIG_FILE, default ~/.aws/config), or remove aws:profile to use the default credential chain.",
      );
      refused.name = "CredentialsProviderError";
      throw refused;
    }
  };
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
 * TimeoutError is retried like any network error. Both can be set in milliseconds (TIMEOUT_ENV).
 */
export const HTTP_TIMEOUTS = {
  connectionTimeout: 10_000,
  requestTimeout: 60_000,
  throwOnRequestTimeout: true,
};

/** The environment variables that change HTTP_TIMEOUTS, documented in the README. */
export const TIMEOUT_ENV = {
  requestTimeout: "PULUMI_PANORAMA_REQUEST_TIMEOUT_MS",
  connectionTimeout: "PULUMI_PANORAMA_CONNECT_TIMEOUT_MS",
} as const;

/** HTTP_TIMEOUTS with the environment's overrides; a value that is not a positive duration is refused with its name. */
export function httpTimeouts(
  env: Record<string, string | undefined> = process.env,
): typeof HTTP_TIMEOUTS {
  const out = { ...HTTP_TIMEOUTS };
  for (const key of ["requestTimeout", "connectionTimeout"] as const) {
    const text = env[TIMEOUT_ENV[key]];
    if (text === undefined || text.trim() === "") continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0)
      throw new UsageError(
        `${TIMEOUT_ENV[key]} must be a whole number of milliseconds greater than 0, got ${JSON.stringify(text)}.`,
      );
    out[key] = value;
  }
  return out;
}

const clients = new Map<string, PanoramaClient>();
const budgets = new Map<string, RequestBudget>();

// The Panorama client is frozen at its last release (3.1076.0), so the SDK's warning about
// future releases needing Node 22 only clutters every `pulumi up` of the provider process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export function panoramaClient(
  region: string,
  settings: AwsSettings = stackSettings,
): PanoramaClient {
  return cachedClient(region, "retrying", settings);
}

/**
 * A client that sends each request once: for calls the service cannot deduplicate
 * (CreateApplicationInstance has no ClientToken), where the SDK's own retry of a lost answer
 * would create a second resource. The caller decides what to do after a failure (createOnce.ts).
 * It shares the request budget of `panoramaClient(region)`.
 */
export function singleAttemptClient(
  region: string,
  settings: AwsSettings = stackSettings,
): PanoramaClient {
  return cachedClient(region, "single", settings);
}

function cachedClient(
  region: string,
  attempts: "retrying" | "single",
  settings: AwsSettings,
): PanoramaClient {
  // The SDK reads endpoint and credentials from the environment once, when the client is made;
  // keying on them gives a process whose environment changes (tests, a second emulator) a fresh client.
  const env = process.env;
  const account = [
    region,
    env.AWS_ENDPOINT_URL_PANORAMA,
    env.AWS_ENDPOINT_URL,
    env.AWS_ACCESS_KEY_ID,
    env.PULUMI_PANORAMA_MAX_RPS,
    env.PULUMI_PANORAMA_MAX_CREATE_RPS,
    env[QUOTA_DIR_ENV],
    settings.endpoints.panorama,
    settings.profile,
  ].join("\n");
  const knobs = [
    env.AWS_MAX_ATTEMPTS,
    env.AWS_RETRY_MODE,
    env[TIMEOUT_ENV.requestTimeout],
    env[TIMEOUT_ENV.connectionTimeout],
  ].join("\n");
  const key = `${account}\n${knobs}\n${attempts}`;
  let client = clients.get(key);
  if (!client) {
    const maxAttempts =
      attempts === "single"
        ? { maxAttempts: 1 }
        : env.AWS_MAX_ATTEMPTS
          ? {}
          : { maxAttempts: DEFAULT_MAX_ATTEMPTS };
    client = new PanoramaClient({
      region,
      ...clientSettings("panorama", settings),
      ...maxAttempts,
      ...(env.AWS_RETRY_MODE ? {} : { retryMode: "standard" }),
      requestHandler: httpTimeouts(env),
    });
    // One budget per account and region, where the service counts its quotas; every resource of
    // the stack shares this process (requestBudget.ts).
    // Processes of the same account, region and endpoint share its quotas through slots (quotaSlots.ts).
    let budget = budgets.get(account);
    if (!budget) {
      const endpoint =
        settings.endpoints.panorama || env.AWS_ENDPOINT_URL_PANORAMA || env.AWS_ENDPOINT_URL;
      const who = settings.profile ? `profile ${settings.profile}` : env.AWS_ACCESS_KEY_ID;
      const slots = quotaSlotsFor([region, endpoint, who].join("\n"), env);
      budget = new RequestBudget(requestBudgetOptions(env), systemWaitClock, slots);
      budgets.set(account, budget);
    }
    installRequestBudget(client, budget);
    clients.set(key, client);
  }
  return client;
}

/** True for errors worth another status check: throttling, server faults, network trouble. */
export function isTransientError(error: unknown): boolean {
  const e = error as {
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
    name?: string;
    code?: string;
  };
  if (!e || typeof e !== "object") return false;
  if (isThrottlingAnswer(e)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (e.$fault === "server") return true;
  return ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "TimeoutError"].includes(
    e.code ?? e.name ?? "",
  );
}

export function errorName(error: unknown): string | undefined {
  return (error as { name?: string })?.name;
}

/**
 * A short, user-facing description of an SDK error: class, HTTP status (or network error code),
 * the service's message, and for refused credentials what to check.
 */
export function describeError(error: unknown): string {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name && e.name !== "Error" ? `${e.name}` : "Error";
  const detail = status ? ` (HTTP ${status})` : e?.code && e.code !== e.name ? ` (${e.code})` : "";
  // Callers go on with ". <next step>", so the service's own final period is dropped.
  const text = `${name}${detail}: ${String(e?.message ?? error).replace(/\.\s*$/, "")}`;
  if (name === "AccessDeniedException" || status === 403) return `${text} (${accessDeniedHint()})`;
  if (
    !status &&
    e?.code &&
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)$/.test(
      e.code,
    )
  )
    return `${text} (endpoint ${endpointInUse()})`;
  return text;
}

/** What to check when the service refuses the request's signature or permissions. */
function accessDeniedHint(): string {
  return (
    `check the AWS credentials the provider runs with (${credentialsInUse()}), that they may call Panorama, ` +
    `that this machine's clock is right, and the endpoint: ${endpointInUse()}`
  );
}

function credentialsInUse(): string {
  if (stackSettings.profile)
    return `profile ${JSON.stringify(stackSettings.profile)} from aws:profile`;
  return "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the default credential chain";
}

function endpointInUse(): string {
  const env = process.env;
  if (stackSettings.endpoints.panorama)
    return `aws:endpoints panorama=${stackSettings.endpoints.panorama}`;
  if (env.AWS_ENDPOINT_URL_PANORAMA)
    return `AWS_ENDPOINT_URL_PANORAMA=${env.AWS_ENDPOINT_URL_PANORAMA}`;
  if (env.AWS_ENDPOINT_URL) return `AWS_ENDPOINT_URL=${env.AWS_ENDPOINT_URL}`;
  return "the AWS default for the region";
}

/** Forgets the cached clients (and their retry quotas); the next call makes fresh ones. */
export function forgetClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
  budgets.clear();
}
