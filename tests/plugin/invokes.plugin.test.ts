// Every lookup as an invoke of the plugin, through the real engine: the same answers the
// TypeScript lookups give, and the same error naming what was looked for.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  getApplicationInstance,
  getDevice,
  getDeviceJob,
  getDevices,
  getNode,
  getNodes,
  getPackage,
  getPackageVersion,
} from "pulumi-panorama";
import { CreateJobForDevicesCommand, ListDevicesCommand } from "@aws-sdk/client-panorama";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { CLI_BUILD_TIMEOUT_MS, engineCli, withStack } from "../support/engine";
import {
  emulatorControl,
  MANIFEST_BUCKET,
  useEmulator,
  QUICK_LIFECYCLES,
} from "../support/emulatorFixture";
import { inlinePluginStack, pluginToken } from "../support/pluginDoor";
import { pluginQuickstart } from "./pluginProgram";

const invoke = (name: string, args: Record<string, unknown>) =>
  pulumi.output(pulumi.runtime.invoke(pluginToken(name), args));

describe("lookups as invokes of the provider plugin", function () {
  this.timeout(240_000);
  const fx = useEmulator({ timing: QUICK_LIFECYCLES });

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });

  it("answer as the TypeScript lookups do, and fail naming what was looked for", async () => {
    const key = await fx().uploadManifest("invokes/package.json");
    const [device] = (await fx().panorama.send(new ListDevicesCommand({}))).Devices!;
    const deviceName = device.Name!;
    const stack = (program: PulumiFn) => inlinePluginStack(program, fx().env);
    await withStack(
      stack(async () =>
        pluginQuickstart({ manifestBucket: MANIFEST_BUCKET, manifestKey: key, deviceName }),
      ),
      async (made) => {
        const app = (await made.stack.up()).outputs.applicationInstanceId.value;
        // A job that stays PENDING, so the invoke and the direct call see the same status.
        await emulatorControl(fx().emu, "POST", "timing", { deviceReboot: { mode: "manual" } });
        const { Jobs } = await fx().panorama.send(
          new CreateJobForDevicesCommand({ DeviceIds: [device.DeviceId!], JobType: "REBOOT" }),
        );
        const args = {
          getDevice: { name: deviceName },
          getDevices: {},
          getPackage: { packageName: "SAMPLE_CODE" },
          getPackageVersion: { packageName: "SAMPLE_CODE", packageVersion: "1.0" },
          getApplicationInstance: { applicationInstanceId: app },
          getNode: { packageName: "SAMPLE_CODE" },
          getNodes: { ownerAccount: "panorama" },
          getDeviceJob: { jobId: Jobs![0].JobId! },
        };
        await withStack(
          stack(async () =>
            Object.fromEntries(Object.entries(args).map(([name, a]) => [name, invoke(name, a)])),
          ),
          async (reader) => {
            const outputs = (await reader.stack.up()).outputs;
            const direct = {
              getDevice: await getDevice(args.getDevice),
              getDevices: await getDevices(args.getDevices),
              getPackage: await getPackage(args.getPackage),
              getPackageVersion: await getPackageVersion(args.getPackageVersion),
              getApplicationInstance: await getApplicationInstance(args.getApplicationInstance),
              getNode: await getNode(args.getNode),
              getNodes: await getNodes(args.getNodes),
              getDeviceJob: await getDeviceJob(args.getDeviceJob),
            };
            for (const [name, expected] of Object.entries(direct))
              assert.deepStrictEqual(
                outputs[name].value,
                JSON.parse(JSON.stringify(expected)),
                name,
              );
          },
        );
        await emulatorControl(fx().emu, "POST", `device-jobs/${Jobs![0].JobId}/complete`);
        await withStack(
          stack(async () => ({ missing: invoke("getPackage", { packageName: "NO_SUCH_CODE" }) })),
          async (reader) => {
            const error = await reader.stack.up().then(
              () => assert.fail("the invoke succeeded"),
              (e) => String(e),
            );
            assert.match(error, /getPackage: no package named "NO_SUCH_CODE" in us-east-1/);
          },
        );
      },
    );
  });
});
