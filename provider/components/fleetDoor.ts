// The resources a PanoramaApplication declares, through one of the two front doors: the
// dynamic resource classes (a TypeScript program), or the provider plugin's own resource types
// (inside the plugin's Construct, provider/plugin/pluginResources.ts). Both run the same lifecycle;
// the door only decides how a child is registered with the engine.
import type * as pulumi from "@pulumi/pulumi";
import { ApplicationInstance, ApplicationInstanceArgs } from "../resources/applicationInstance";
import { CameraNode, CameraNodeArgs } from "../resources/cameraNode";
import { DeviceLookup, DeviceLookupArgs } from "../resources/deviceLookup";
import { HealthGate, HealthGateArgs } from "../resources/healthGate";
import { Package, PackageArgs } from "../resources/package";
import { PackageImportJob, PackageImportJobArgs } from "../resources/packageImportJob";
import { S3Object, S3ObjectArgs } from "../resources/s3Object";
import { SoftwareBaseline, SoftwareBaselineArgs } from "../resources/softwareBaseline";

/** How a door declares one child: the class constructor's shape. */
export type DeclareChild<Args, R> = (
  name: string,
  args: Args,
  opts?: pulumi.CustomResourceOptions,
) => R;

/** How each child type is declared; a door's resources have every output its class declares. */
export interface FleetDoor {
  Package: DeclareChild<PackageArgs, Package>;
  S3Object: DeclareChild<S3ObjectArgs, S3Object>;
  PackageImportJob: DeclareChild<PackageImportJobArgs, PackageImportJob>;
  DeviceLookup: DeclareChild<DeviceLookupArgs, DeviceLookup>;
  ApplicationInstance: DeclareChild<ApplicationInstanceArgs, ApplicationInstance>;
  HealthGate: DeclareChild<HealthGateArgs, HealthGate>;
  CameraNode: DeclareChild<CameraNodeArgs, CameraNode>;
  SoftwareBaseline: DeclareChild<SoftwareBaselineArgs, SoftwareBaseline>;
}

/** The dynamic resources of a TypeScript program: the default door. */
export const DYNAMIC_DOOR: FleetDoor = {
  Package: (name, args, opts) => new Package(name, args, opts),
  S3Object: (name, args, opts) => new S3Object(name, args, opts),
  PackageImportJob: (name, args, opts) => new PackageImportJob(name, args, opts),
  DeviceLookup: (name, args, opts) => new DeviceLookup(name, args, opts),
  ApplicationInstance: (name, args, opts) => new ApplicationInstance(name, args, opts),
  HealthGate: (name, args, opts) => new HealthGate(name, args, opts),
  CameraNode: (name, args, opts) => new CameraNode(name, args, opts),
  SoftwareBaseline: (name, args, opts) => new SoftwareBaseline(name, args, opts),
};
