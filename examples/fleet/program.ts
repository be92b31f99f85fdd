// The fleet stack: the panorama-cli project in ./project (a code package, a model package and one
// camera-stream package per appliance) imported into Panorama and rolled across the appliances
// named in config `devices`, canary first, then batches of `maxParallel`. Each appliance gets its
// own camera in place of the graph's abstract camera node: the project's camera package, or, for
// an appliance listed in config `cameras` (`{"<device>": {"streamUrl": …, "username": …}}`, with
// the password in the secret config `<device>CameraPassword`), a camera node made from the RTSP
// template. With config `imageVersion`, every appliance behind that software version gets an OTA
// job in its wave, before its deployment. `index.ts` runs it as a Pulumi program; the demo and the
// end-to-end tests run the same function.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { FleetDevice, PanoramaApplication } from "pulumi-panorama";

interface CameraConfig {
  streamUrl: string;
  username: string;
  /** Changed with the credentials, the new camera is deployed before the old one goes. */
  packageVersion?: string;
}

export function fleet() {
  const config = new pulumi.Config();
  const devices = config.getObject<string[]>("devices") ?? ["lobby", "dock", "gate"];
  const cameras = config.getObject<Record<string, CameraConfig>>("cameras") ?? {};
  const device = (name: string): FleetDevice =>
    cameras[name]
      ? {
          name,
          cameras: {
            camera_node: {
              ...cameras[name],
              password: config.requireSecret(`${name}CameraPassword`),
            },
          },
        }
      : { name, nodeOverrides: { camera_node: { package: `${name}_camera` } } };
  const app = new PanoramaApplication("people-counter", {
    projectDir: config.get("projectDir") ?? path.join(__dirname, "project"),
    devices: devices.map(device),
    rollout: {
      canary: 1,
      maxParallel: config.getNumber("maxParallel") ?? 2,
      healthySeconds: config.getNumber("healthySeconds") ?? 0,
    },
    deviceSoftware: config.get("imageVersion")
      ? { imageVersion: config.require("imageVersion") }
      : undefined,
    tags: { app: "people-counter" },
  });
  return {
    waves: app.waves,
    packages: app.packages,
    deployments: app.deployments,
  };
}
