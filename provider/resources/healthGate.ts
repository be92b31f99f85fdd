// "Healthy for N seconds": after a deployment reached DEPLOYMENT_SUCCEEDED and RUNNING, checks it
// stays so for `healthySeconds` before the rollout's next wave may start. A check that sees it
// leave RUNNING fails, naming the device, status, health and the service's message; nothing is
// recorded, so the next `pulumi up` checks again. Each new application instance is checked anew.
import {
  DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceResponse,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import * as pulumi from "@pulumi/pulumi";
import { describeError, errorName, isTransientError } from "../calls/awsClients";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";

export interface HealthGateArgs {
  applicationInstanceId: pulumi.Input<string>;
  /** For messages. */
  deviceName: pulumi.Input<string>;
  healthySeconds: pulumi.Input<number>;
  region?: pulumi.Input<string>;
}

export class HealthGate extends PanoramaResource {
  /** ISO-8601: when the instance had been RUNNING for healthySeconds. */
  declare readonly healthyAt: pulumi.Output<string>;

  constructor(name: string, args: HealthGateArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

// Another instance or another duration is another check (replace); the device name is for messages.
const SPEC: ResourceSpec = {
  type: "HealthGate",
  parameters: ["applicationInstanceId", "healthySeconds"],
  options: { deviceName: "text" },
  outputs: ["healthyAt"],
};

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
      const i = await client.send(
        new DescribeApplicationInstanceCommand({ ApplicationInstanceId: p.applicationInstanceId }),
      );
      if (i.Status !== "DEPLOYMENT_SUCCEEDED" || i.HealthStatus !== "RUNNING")
        throw new Error(
          `Device ${p.deviceName}: application instance ${p.applicationInstanceId} is ${i.Status} with health ${i.HealthStatus}` +
            `${i.StatusDescription ? `: ${i.StatusDescription}` : ""} (within the ${p.healthySeconds}s it had to stay RUNNING). ` +
            `The rollout stopped before the next batch; fix the cause and run \`pulumi up\` again.`,
        );
    } catch (e) {
      if (!isTransientError(e)) throw e;
      console.log(
        `HealthGate ${p.deviceName}: status check failed (${describeError(e)}); will retry`,
      );
    }
    const left = end - Date.now();
    if (left <= 0) return;
    await sleep(Math.min(every, left));
  }
}

/** A record of a check that passed; refresh drops it once its instance is gone; delete forgets it. */
export const healthGateImplementation = resourceProvider<DescribeApplicationInstanceResponse>(
  SPEC,
  {
    noun: "health check",
    label: (p) => `HealthGate ${p.deviceName}`,
    check: (inputs) =>
      isUnknown(inputs.healthySeconds) ||
      (typeof inputs.healthySeconds === "number" && inputs.healthySeconds >= 0)
        ? []
        : [
            {
              property: "healthySeconds",
              reason: `healthySeconds: must be a number of seconds >= 0 (got ${JSON.stringify(inputs.healthySeconds)})`,
            },
          ],
    async start(call, inputs, base) {
      await staysHealthy(
        call.client,
        inputs as { applicationInstanceId: string; deviceName: string; healthySeconds: number },
      );
      console.log(
        `HealthGate ${inputs.deviceName}: ${inputs.applicationInstanceId} stayed RUNNING for ${inputs.healthySeconds}s`,
      );
      return {
        id: `${inputs.applicationInstanceId}/healthy`,
        outs: { ...base, healthyAt: new Date().toISOString() },
      };
    },
    async describe(call, id) {
      try {
        return await call.client.send(
          new DescribeApplicationInstanceCommand({
            ApplicationInstanceId: id.replace(/\/healthy$/, ""),
          }),
        );
      } catch (e) {
        if (errorName(e) === "ResourceNotFoundException") return undefined;
        throw e;
      }
    },
    merge: (outs) => outs,
    isDone: () => "success",
    state: () => "passed",
    failure: (id) => `health check ${id} did not pass`,
    remove: async () => {},
  },
);
