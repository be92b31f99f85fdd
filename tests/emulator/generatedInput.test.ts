// Inputs generated from the model for the camera, catalogue, device-job and signal operations:
// whatever arrives, the emulator answers the real SDK client with success or a modeled 4xx, never
// a crash, and refuses with a ValidationException naming each member whatever the model refuses.
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
  let refusedByModel = 0;

  for (const name of OPERATIONS)
    it(`${name}: success or a modeled 4xx, a ValidationException whenever the model refuses`, async () => {
      const op = operations().find((o) => o.name === name)!;
      const Command = (sdk as any)[`${name}Command`];
      const seen = { ok: 0, refused: 0, refusedByModel: 0 };
      const jobs = () => {
        const state = ctx.emu.control.state() as Record<string, object>;
        return Object.keys(state.templateJobs).length + Object.keys(state.deviceJobs).length;
      };
      await fc.assert(
        fc.asyncProperty(arbitraryFor(op.input!, 4), async (p) => {
          const input = p.api as Record<string, unknown>;
          const violations = validate(op.input!, input);
          const before = jobs();
          let status: number;
          let error: string | undefined;
          let fields: string[] = [];
          try {
            status = (await ctx.panorama.send(new Command(input))).$metadata.httpStatusCode!;
          } catch (e: any) {
            // The SDK itself refuses some values (a label it cannot put in a path): never sent.
            if (e.$metadata?.httpStatusCode === undefined) return;
            status = e.$metadata.httpStatusCode;
            error = e.name;
            fields = (e.Fields ?? []).map((f: { Name: string }) => f.Name);
          }
          assert.ok(status < 500, `${JSON.stringify(input)} answered ${status} ${error}`);
          if (status === 200) seen.ok++;
          else seen.refused++;
          // The SDK drops members the model lacks and writes a label or query value of any type
          // as text (0 → "0"), so only the rules on values must be seen on the wire.
          const modeled = violations.filter(
            (v) => !/not part of the API|^Member must be an? [a-z]+$/.test(v.rule),
          );
          if (modeled.length) {
            assert.strictEqual(
              error,
              "ValidationException",
              `the model refuses ${JSON.stringify(modeled)} but the emulator answered ${status}`,
            );
            for (const v of modeled)
              assert.ok(fields.includes(v.path), `${v.path} (${v.rule}) is named in ${fields}`);
            assert.strictEqual(jobs(), before, "nothing stored");
            seen.refusedByModel++;
          }
        }),
        { numRuns: 60, seed: 18 },
      );
      refusedByModel += seen.refusedByModel;
      assert.ok(
        seen.ok + seen.refused >= 20,
        `most requests reached the emulator: ${JSON.stringify(seen)}`,
      );
    });

  it("across them, inputs broke the model's rules often enough to test the refusals", () =>
    assert.ok(refusedByModel >= 50, `${refusedByModel} refused by the model`));
});
