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
import { describeError, isTransientError } from "../calls/awsClients";
import { pollUntil } from "../calls/wait";
import type { WaitClock } from "../calls/waitClock";
import { consoleLog } from "../lifecycle/callContext";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";

export interface HealthGateArgs {
  /** The deployed application instance to watch (it must already be DEPLOYMENT_SUCCEEDED). */
  applicationInstanceId: pulumi.Input<string>;
  /** For messages. */
  deviceName: pulumi.Input<string>;
  /** How long the instance must stay RUNNING before the gate passes. */
  healthySeconds: pulumi.Input<number>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
}

/**
 * Passes once a deployed application instance has stayed RUNNING for `healthySeconds`; fails,
 * naming the device, status and health, when it leaves RUNNING first.
 */
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

/** How a health check runs: its clock, its cancellation and where its lines go. */
export interface HealthCheckOptions {
  clock?: WaitClock;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Resolves once the instance has stayed RUNNING for `seconds`; throws when it leaves RUNNING. */
export async function staysHealthy(
  client: PanoramaClient,
  p: { applicationInstanceId: string; deviceName: string; healthySeconds: number },
  o: HealthCheckOptions = {},
): Promise<void> {
  const everySeconds = Math.min(5, Math.max(0.2, p.healthySeconds / 5));
  const log = o.log ?? consoleLog;
  const result = await pollUntil({
    options: {
      enabled: true,
      timeoutSeconds: p.healthySeconds,
      minDelaySeconds: everySeconds,
      maxDelaySeconds: everySeconds,
      backoffRate: 1,
    },
    clock: o.clock,
    signal: o.signal,
    check: () =>
      client.send(
        new DescribeApplicationInstanceCommand({ ApplicationInstanceId: p.applicationInstanceId }),
      ),
    // Healthy is no failure all along: reaching the end of the window, not a status, passes.
    acceptor: (c) =>
      "error" in c
        ? isTransientError(c.error)
          ? "retry"
          : "failure"
        : c.value.Status === "DEPLOYMENT_SUCCEEDED" && c.value.HealthStatus === "RUNNING"
          ? "retry"
          : "failure",
    onRetry: (c) => {
      if ("error" in c)
        log(
          `HealthGate ${p.deviceName}: status check failed (${describeError(c.error)}); will retry`,
        );
    },
  });
  if (result.done) {
    const i = result.value;
    throw new Error(
      `Device ${p.deviceName}: application instance ${p.applicationInstanceId} is ${i.Status} with health ${i.HealthStatus}` +
        `${i.StatusDescription ? `: ${i.StatusDescription}` : ""} (within the ${p.healthySeconds}s it had to stay RUNNING). ` +
        `The rollout stopped before the next batch; fix the cause on the device and run \`pulumi up\` again, which checks ` +
        `the same instance for ${p.healthySeconds}s again before the next batch starts.`,
    );
  }
  if (result.aborted)
    throw new Error(
      `Device ${p.deviceName}: the health check of application instance ${p.applicationInstanceId} was cancelled. ` +
        `Nothing is recorded; run \`pulumi up\` again to check it again.`,
    );
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
        call,
      );
      call.log(
        `HealthGate ${inputs.deviceName}: ${inputs.applicationInstanceId} stayed RUNNING for ${inputs.healthySeconds}s`,
      );
      return {
        id: `${inputs.applicationInstanceId}/healthy`,
        outs: { ...base, healthyAt: new Date().toISOString() },
      };
    },
    describe: (call, id) =>
      describeOrUndefined(() =>
        call.client.send(
          new DescribeApplicationInstanceCommand({
            ApplicationInstanceId: id.replace(/\/healthy$/, ""),
          }),
        ),
      ),
  },
);
