// Application instance lookup: what runs on a device, e.g. to read the status or the patches of an
// instance another stack deployed.
import * as pulumi from "@pulumi/pulumi";
import { DescribeApplicationInstanceCommand } from "@aws-sdk/client-panorama";
import type {
  ApplicationInstanceHealthStatus,
  ApplicationInstanceStatus,
  RuntimeContextState,
} from "..";
import { fromApi } from "../lifecycle/apiShapes";
import {
  checkLookupArgs,
  lookupCall,
  LookupClients,
  programClients,
  lookupOutput,
  LookupOutputArgs,
} from "./lookupCalls";

export interface GetApplicationInstanceArgs {
  /** The instance's id, e.g. `applicationInstance-rdy6gxfe4xzgw5rfrixxyau7ge`. */
  applicationInstanceId: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** An application instance as `DescribeApplicationInstance` returns it, camelCased; timestamps ISO-8601. */
export interface GetApplicationInstanceResult {
  readonly applicationInstanceId: string;
  readonly arn: string;
  readonly name?: string;
  readonly description?: string;
  /** The device the instance runs on. */
  readonly defaultRuntimeContextDevice?: string;
  readonly defaultRuntimeContextDeviceName?: string;
  /** The instance this one replaced on the device, if any. */
  readonly applicationInstanceIdToReplace?: string;
  readonly runtimeRoleArn?: string;
  /** A removed instance stays readable with `REMOVAL_SUCCEEDED`. */
  readonly status?: ApplicationInstanceStatus;
  readonly healthStatus?: ApplicationInstanceHealthStatus;
  readonly statusDescription?: string;
  readonly runtimeContextStates?: RuntimeContextState[];
  readonly createdTime?: string;
  readonly lastUpdatedTime?: string;
  readonly tags: Record<string, string>;
  /** The region the lookup ran in. */
  readonly region: string;
}

/**
 * Looks up an application instance by id (DescribeApplicationInstance). Fails, naming the id,
 * when there is none.
 *
 * @example
 * const app = await getApplicationInstance({ applicationInstanceId: "applicationInstance-rdy6gxfe4xzgw5rfrixxyau7ge" });
 */
export async function getApplicationInstance(
  args: GetApplicationInstanceArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetApplicationInstanceResult> {
  return getApplicationInstanceWith(programClients(opts), args);
}

/** {@link getApplicationInstance} with the clients of a program or of the provider plugin. */
export async function getApplicationInstanceWith(
  clients: LookupClients,
  args: GetApplicationInstanceArgs,
): Promise<GetApplicationInstanceResult> {
  const lookup = "getApplicationInstance";
  const { region: _region, ...request } = args;
  checkLookupArgs(lookup, "DescribeApplicationInstanceRequest", request);
  const { client, region } = clients(lookup, args.region);
  const described = await lookupCall(
    lookup,
    () =>
      client.send(
        new DescribeApplicationInstanceCommand({
          ApplicationInstanceId: args.applicationInstanceId,
        }),
      ),
    `no application instance with id ${JSON.stringify(args.applicationInstanceId)} in ${region}`,
  );
  return {
    ...(fromApi("DescribeApplicationInstanceResponse", described) as object),
    tags: described.Tags ?? {},
    region,
  } as GetApplicationInstanceResult;
}

/** {@link getApplicationInstance} taking Pulumi values, e.g. an id from a StackReference. */
export function getApplicationInstanceOutput(
  args: LookupOutputArgs<GetApplicationInstanceArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetApplicationInstanceResult> {
  return lookupOutput(getApplicationInstance, args, opts);
}
