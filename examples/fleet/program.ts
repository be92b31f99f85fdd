// The fleet stack: the panorama-cli project in ./project (a code package, a model package and one
// camera-stream package per appliance) imported into Panorama and rolled across the appliances
// named in config `devices`, canary first, then batches of `maxParallel`. Each appliance gets its
// own camera in place of the graph's abstract camera node. `index.ts` runs it as a Pulumi program;
// the demo and the end-to-end tests run the same function.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PanoramaApplication } from "pulumi-panorama";

export function fleet() {
  const config = new pulumi.Config();
  const devices = config.getObject<string[]>("devices") ?? ["lobby", "dock", "gate"];
  const app = new PanoramaApplication("people-counter", {
    projectDir: config.get("projectDir") ?? path.join(__dirname, "project"),
    devices: devices.map((name) => ({
      name,
      nodeOverrides: { camera_node: { package: `${name}_camera` } },
    })),
    rollout: {
      canary: 1,
      maxParallel: config.getNumber("maxParallel") ?? 2,
      healthySeconds: config.getNumber("healthySeconds") ?? 0,
    },
    tags: { app: "people-counter" },
  });
  return {
    waves: app.waves,
    packages: app.packages,
    deployments: app.deployments,
  };
}
