// The provider plugin's configuration: stack config `panorama:region`, `panorama:profile` and
// `panorama:endpoints` for the default provider, or the same names as arguments of an explicit
// provider (`new pulumi.ProviderResource("panorama", "eu", { region: "eu-west-1" })`). `aws:*`
// keys belong to @pulumi/aws and never reach this plugin; the AWS SDK's environment
// (AWS_REGION, AWS_ENDPOINT_URL_*, the default credential chain) still applies under them.
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import {
  AwsSettings,
  ENDPOINT_SERVICES,
  EndpointService,
  isEndpointUrl,
} from "../calls/awsClients";
import { containsUnknown } from "../lifecycle/unknowns";

/** What a provider config key holds, for the checks here and the schema's `config` section. */
export interface ConfigKey {
  description: string;
  /** `string`, or the per-service endpoint map. */
  kind: "string" | "endpoints";
  /** The problem with a known value, as a sentence after the key, if any. */
  problem(value: unknown): string | undefined;
}

/** An AWS region name: `us-east-1`, `eu-west-1`, `us-gov-west-1`, `ap-southeast-2`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ENDPOINTS_EXAMPLE = `{"panorama":"http://127.0.0.1:4566","s3":"http://127.0.0.1:4566"}`;

export const PROVIDER_CONFIG: Readonly<Record<string, ConfigKey>> = {
  region: {
    description:
      "The AWS region of every resource and lookup of this provider that sets no `region` of its own. " +
      "Default: the AWS_REGION environment variable.",
    kind: "string",
    problem: (v) =>
      typeof v === "string" && REGION.test(v)
        ? undefined
        : `must be an AWS region name such as us-east-1 or eu-west-1 (got ${JSON.stringify(v)})`,
  },
  profile: {
    description:
      "A profile of the shared AWS config and credentials files to take credentials from (its name only: " +
      "nothing secret is stored). Default: the SDK's default credential chain.",
    kind: "string",
    problem: (v) =>
      typeof v === "string" && v.trim() !== "" && v === v.trim()
        ? undefined
        : `must be the name of a profile in the shared AWS config files (got ${JSON.stringify(v)})`,
  },
  endpoints: {
    description:
      `Per-service endpoint URLs, e.g. ${ENDPOINTS_EXAMPLE} for a local emulator. Default: ` +
      "AWS_ENDPOINT_URL_PANORAMA / AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS's own.",
    kind: "endpoints",
    problem: endpointsProblem,
  },
};

/** The key as users write it in stack config. */
export function configKeyName(key: string): string {
  return `panorama:${key}`;
}

/** `panorama:region: must be …`, `panorama:endpoints.sts: is not …`. */
function keyProblem(key: string, problem: string): string {
  return `${configKeyName(key)}${problem.startsWith(".") ? "" : ": "}${problem}`;
}

/** The parsed endpoint map, or a sentence saying what is wrong with it. */
function parseEndpointMap(v: unknown): Partial<Record<EndpointService, string>> | string {
  let map = v;
  if (typeof v === "string") {
    try {
      map = JSON.parse(v);
    } catch {
      return `must be an object mapping a service to its URL, such as ${ENDPOINTS_EXAMPLE} (got ${JSON.stringify(v)})`;
    }
  }
  if (typeof map !== "object" || map === null || Array.isArray(map))
    return `must be an object mapping a service to its URL, such as ${ENDPOINTS_EXAMPLE} (got ${JSON.stringify(map)})`;
  for (const [service, url] of Object.entries(map)) {
    if (!(ENDPOINT_SERVICES as readonly string[]).includes(service))
      return `.${service}: is not a service of this provider (known: ${ENDPOINT_SERVICES.join(", ")})`;
    if (!isEndpointUrl(url))
      return `.${service}: must be an http:// or https:// URL (got ${JSON.stringify(url)})`;
  }
  return map as Partial<Record<EndpointService, string>>;
}

function endpointsProblem(v: unknown): string | undefined {
  const parsed = parseEndpointMap(v);
  return typeof parsed === "string" ? parsed : undefined;
}

/**
 * CheckConfig's failures: one per unknown key (listing the known ones) and per bad value, each
 * naming the key. Values not known yet (preview) pass.
 */
export function configFailures(config: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const known = Object.keys(PROVIDER_CONFIG).map(configKeyName).join(", ");
  for (const [key, value] of Object.entries(config)) {
    const spec = PROVIDER_CONFIG[key];
    if (!spec) {
      failures.push({
        property: key,
        reason: `${configKeyName(key)}: unknown configuration key of the panorama provider (known: ${known})`,
      });
      continue;
    }
    if (value === undefined || value === null || value === "" || containsUnknown(value)) continue;
    const problem = spec.problem(value);
    if (problem) failures.push({ property: key, reason: keyProblem(key, problem) });
  }
  return failures;
}

/** The AWS settings of a configuration that passed `configFailures`. */
export function settingsOf(config: Record<string, unknown>): AwsSettings {
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const endpoints =
    config.endpoints === undefined || config.endpoints === null || config.endpoints === ""
      ? {}
      : parseEndpointMap(config.endpoints);
  if (typeof endpoints === "string") throw new Error(keyProblem("endpoints", endpoints));
  return { region: text(config.region), profile: text(config.profile), endpoints };
}
