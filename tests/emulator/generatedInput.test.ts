// Inputs generated from the model for the camera, catalogue, device-job and signal operations:
// whatever arrives, the emulator answers the real SDK client with success or a modeled 4xx, never
// a crash, and refuses with a ValidationException whatever the model refuses.
import * as assert from "assert";
import fc from "fast-check";
import * as sdk from "@aws-sdk/client-panorama";
import { operations, validate } from "../../model/panoramaModel";
import { arbitraryFor } from "../reliability/modelArbitraries";
import { startTestEmulator, stopTestEmulator, EmulatorFixture } from "../support/emulatorFixture";
import { createCameraNode } from "./cameraNodes";

const OPERATIONS = [
  "CreateNodeFromTemplateJob",
  "DescribeNodeFromTemplateJob",
  "ListNodeFromTemplateJobs",
  "ListNodes",
  "DescribeNode",
  "CreateJobForDevices",
  "DescribeDeviceJob",
  "ListDevicesJobs",
  "SignalApplicationInstanceNodeInstances",
];

describe("emulator: generated input for the camera, node, device-job and signal operations", () => {
  let ctx: EmulatorFixture;
  before(async () => {
    ctx = await startTestEmulator();
    await createCameraNode(ctx, "generated_cam");
  });
  after(() => stopTestEmulator(ctx));

  for (const name of OPERATIONS)
    it(`${name}: success or a modeled 4xx, a ValidationException whenever the model refuses`, async () => {
      const op = operations().find((o) => o.name === name)!;
      const Command = (sdk as any)[`${name}Command`];
      const seen = { ok: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(arbitraryFor(op.input!, 4), async (p) => {
          const input = p.api as Record<string, unknown>;
          const violations = validate(op.input!, input);
          let status: number;
          let error: string | undefined;
          try {
            status = (await ctx.panorama.send(new Command(input))).$metadata.httpStatusCode!;
          } catch (e: any) {
            // The SDK itself refuses some values (a label it cannot put in a path): never sent.
            if (e.$metadata?.httpStatusCode === undefined) return;
            status = e.$metadata.httpStatusCode;
            error = e.name;
          }
          assert.ok(status < 500, `${JSON.stringify(input)} answered ${status} ${error}`);
          if (status === 200) seen.ok++;
          else seen.refused++;
          // The SDK drops members the model lacks and writes a label or query value of any type
          // as text (0 → "0"), so only the rules on values must be seen on the wire.
          const modeled = violations.filter(
            (v) => !/not part of the API|^Member must be an? [a-z]+$/.test(v.rule),
          );
          if (modeled.length)
            assert.strictEqual(
              error,
              "ValidationException",
              `the model refuses ${JSON.stringify(modeled)} but the emulator answered ${status}`,
            );
        }),
        { numRuns: 60, seed: 18 },
      );
      assert.ok(
        seen.ok + seen.refused >= 20,
        `most requests reached the emulator: ${JSON.stringify(seen)}`,
      );
    });
});
