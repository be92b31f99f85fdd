// "Healthy for N seconds": after a deployment reached DEPLOYMENT_SUCCEEDED and RUNNING, checks it
// stays so for `healthySeconds` before the rollout's next wave may start. A check that sees it
// leave RUNNING fails, naming the device, status, health and the service's message; nothing is
// recorded, so the next `pulumi up` checks again. Each new application instance is checked anew.
import { DescribeApplicationInstanceCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { describeError, isTransientError, panoramaClient, resolveRegion, applyStackConfig } from "../calls/awsClients";
import { differs, regionChanged } from "../lifecycle/inputChecks";
import { providerShim } from "../lifecycle/providerShim";

export interface HealthGateArgs {
  applicationInstanceId: pulumi.Input<string>;
  /** For messages. */
  deviceName: pulumi.Input<string>;
  healthySeconds: pulumi.Input<number>;
  region?: pulumi.Input<string>;
}

export class HealthGate extends pulumi.dynamic.Resource {
  /** ISO-8601: when the instance had been RUNNING for healthySeconds. */
  declare readonly healthyAt: pulumi.Output<string>;

  constructor(name: string, args: HealthGateArgs, opts?: pulumi.CustomResourceOptions) {
    super(healthGateProvider, name, { healthyAt: undefined, ...args }, opts, "panorama", "HealthGate");
  }
}

type Props = Record<string, any>;

/** Resolves once the instance has stayed RUNNING for `seconds`; throws when it leaves RUNNING. */
export async function staysHealthy(
  client: PanoramaClient,
  p: { applicationInstanceId: string; deviceName: string; healthySeconds: number },
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const end = Date.now() + p.healthySeconds * 1000;
  const every = Math.min(5000, Math.max(200, (p.healthySeconds * 1000) / 5));
  for (;;) {
    try {
      const i = await client.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: p.applicationInstanceId }));
      if (i.Status !== "DEPLOYMENT_SUCCEEDED" || i.HealthStatus !== "RUNNING")
        throw new Error(
          `Device ${p.deviceName}: application instance ${p.applicationInstanceId} is ${i.Status} with health ${i.HealthStatus}` +
            `${i.StatusDescription ? `: ${i.StatusDescription}` : ""} (within the ${p.healthySeconds}s it had to stay RUNNING). ` +
            `The rollout stopped before the next batch; fix the cause and run \`pulumi up\` again.`,
        );
    } catch (e) {
      if (!isTransientError(e)) throw e;
      console.log(`HealthGate ${p.deviceName}: status check failed (${describeError(e)}); will retry`);
    }
    const left = end - Date.now();
    if (left <= 0) return;
    await sleep(Math.min(every, left));
  }
}

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  applyStackConfig(req.config);
}

export async function check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: { ...news }, failures: [] };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const replaces = ["applicationInstanceId", "healthySeconds"].filter((k) => differs(olds[k], news[k]));
  if (regionChanged(olds.region, news.region)) replaces.push("region");
  const updates = ["deviceName", "__provider"].filter((k) => olds[k] !== news[k]);
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<dynamic.CreateResult> {
  const region = resolveRegion(inputs.region);
  await staysHealthy(panoramaClient(region), inputs as any);
  console.log(`HealthGate ${inputs.deviceName}: ${inputs.applicationInstanceId} stayed RUNNING for ${inputs.healthySeconds}s`);
  return { id: `${inputs.applicationInstanceId}/healthy`, outs: { ...inputs, region, healthyAt: new Date().toISOString() } };
}

export async function update(_id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return { outs: { ...olds, ...news, healthyAt: olds.healthyAt, region: olds.region } };
}

/** A record of a check that passed; nothing remote to read. */
export async function read(id: string, props: Props): Promise<dynamic.ReadResult> {
  return { id, props };
}

export async function forget(): Promise<void> {}

/** The serialized provider; see providerShim.ts. */
export const healthGateProvider = providerShim("pulumi-panorama/dist/provider/components/healthGate.js", "forget");
