// Camera nodes for the emulator's tests: a CreateNodeFromTemplateJob with the real SDK client,
// waited on the emulator's clock until it has SUCCEEDED.
import * as assert from "assert";
import {
  CreateNodeFromTemplateJobCommand,
  CreateNodeFromTemplateJobCommandInput,
  DescribeNodeFromTemplateJobCommand,
} from "@aws-sdk/client-panorama";
import { EmulatorFixture } from "../support/emulatorFixture";

export const CAMERA_PASSWORD = "s3cret-Camera-Pa55word";
export const CAMERA_URL = "rtsp://10.0.0.5:554/stream1";

export function cameraJobInput(
  name: string,
  extra: Partial<CreateNodeFromTemplateJobCommandInput> = {},
): CreateNodeFromTemplateJobCommandInput {
  return {
    TemplateType: "RTSP_CAMERA_STREAM",
    OutputPackageName: name,
    OutputPackageVersion: "1.0",
    NodeName: name,
    TemplateParameters: { Username: "admin", Password: CAMERA_PASSWORD, StreamUrl: CAMERA_URL },
    ...extra,
  };
}

export async function createCameraJob(
  ctx: EmulatorFixture,
  name: string,
  extra: Partial<CreateNodeFromTemplateJobCommandInput> = {},
): Promise<string> {
  const { JobId } = await ctx.panorama.send(
    new CreateNodeFromTemplateJobCommand(cameraJobInput(name, extra)),
  );
  return JobId!;
}

/** Creates a camera node and fast-forwards the clock until its job has SUCCEEDED. */
export async function createCameraNode(ctx: EmulatorFixture, name: string): Promise<string> {
  const jobId = await createCameraJob(ctx, name);
  ctx.emu.control.advanceClock(ctx.emu.control.getTiming().templateJob.durationMs + 1);
  const job = await ctx.panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId: jobId }));
  assert.strictEqual(job.Status, "SUCCEEDED", job.StatusMessage);
  return jobId;
}
