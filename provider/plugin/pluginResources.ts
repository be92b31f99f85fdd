// The fleet's children as the provider plugin's own resources: custom resources of type
// `panorama:index:<Name>`, registered by a Construct with the component's provider, so the engine
// sends their Check, Diff, Create, … back to this plugin (and its lifecycle) like any resource of
// a YAML program. Hidden inputs of the dynamic door (URN, feeds, timeouts) are not added: the
// engine gives the plugin those itself.
import * as pulumi from "@pulumi/pulumi";
import type { FleetDoor } from "../components/fleetDoor";
import { inputNames } from "../lifecycle/resourceSpec";
import { lifecycleOf } from "../resources/registry";
import { token } from "./tokens";

/** A resource of the plugin's type `type`, with every input and output of its spec declared. */
function pluginResource(type: string) {
  const spec = lifecycleOf(type).spec;
  const declared = Object.fromEntries(
    [...inputNames(spec), ...spec.outputs].map((key) => [key, undefined]),
  );
  // Typed as the door's class of the same name: it declares the same outputs.
  return (name: string, args: object, opts?: pulumi.CustomResourceOptions): any =>
    new (pulumi.CustomResource as any)(token(type), name, { ...declared, ...args }, opts);
}

export const PLUGIN_DOOR: FleetDoor = {
  Package: pluginResource("Package"),
  S3Object: pluginResource("S3Object"),
  PackageImportJob: pluginResource("PackageImportJob"),
  DeviceLookup: pluginResource("DeviceLookup"),
  ApplicationInstance: pluginResource("ApplicationInstance"),
  HealthGate: pluginResource("HealthGate"),
  CameraNode: pluginResource("CameraNode"),
  SoftwareBaseline: pluginResource("SoftwareBaseline"),
};
