// The lifecycle matrix's DeviceJob entry (see matrix.ts): an OTA of the emulator's device to an
// image version. A job is one-shot and cannot be deleted, so the entry checks what the service
// keeps: every job the stack ever ran stays readable, and no cell starts a job it does not need.
import * as assert from "assert";
import {
  DescribeDeviceCommand,
  DescribeDeviceJobCommand,
  ListDevicesCommand,
  ListDevicesJobsCommand,
} from "@aws-sdk/client-panorama";
import type { DeviceJob } from "pulumi-panorama";
import { describeLifecycle, LifecycleEntry, Resource, World } from "./matrix";

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { DeviceJob } from "pulumi-panorama";
const config = new pulumi.Config();
const job = new DeviceJob("ota", {
  deviceId: config.require("device"),
  jobType: "OTA",
  imageVersion: config.require("imageVersion"),
  waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.3, timeoutSeconds: config.getNumber("timeoutSeconds") ?? 60 },
});
export const jobId = job.jobId;
`;

// The program above is compiled by the CLI; this keeps the type's use checked here too.
export type Checked = Pick<DeviceJob, "jobId" | "status" | "currentSoftware">;

/** Every job of the device, newest first, as the service lists them. */
const jobsOf = async (w: World, deviceId: string) =>
  (
    (await w.panorama.send(new ListDevicesJobsCommand({ DeviceId: deviceId }))).DeviceJobs ?? []
  ).map((j) => j.JobId!);
const software = async (w: World, deviceId: string) =>
  (await w.panorama.send(new DescribeDeviceCommand({ DeviceId: deviceId }))).CurrentSoftware;
const jobStatus = async (w: World, jobId: string) =>
  (await w.panorama.send(new DescribeDeviceJobCommand({ JobId: jobId }))).Status;

/** The device runs the image of a new COMPLETED job that is the device's newest. */
const installedByNewJob = async (w: World, job: Resource, before: Resource) => {
  assert.notStrictEqual(job.id, before.id, "a new job");
  assert.strictEqual(job.outputs.status, "COMPLETED");
  assert.strictEqual((await jobsOf(w, job.outputs.deviceId))[0], job.id, "the newest job");
  assert.strictEqual(await software(w, job.outputs.deviceId), job.outputs.imageVersion);
};

const DEVICE_JOB: LifecycleEntry = {
  kind: "DeviceJob",
  program: PROGRAM,
  config: { imageVersion: "6.2.5" },
  prepare: async (w) => {
    const device = (await w.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    await w.s.stack.setConfig("device", { value: device });
  },
  secrets: {},
  jobsPerCreate: 0,
  created: async (w, job) => {
    assert.deepStrictEqual(
      [job.outputs.status, job.outputs.currentSoftware],
      ["COMPLETED", "6.2.5"],
    );
    assert.deepStrictEqual(await jobsOf(w, job.outputs.deviceId), [job.id], "one job started");
    assert.strictEqual(await software(w, job.outputs.deviceId), "6.2.5");
  },
  update: {
    config: { timeoutSeconds: "90" },
    expect: async (w, before, job) => {
      assert.strictEqual(job.outputs.waitOptions.timeoutSeconds, 90);
      assert.strictEqual(job.id, before.id);
      assert.strictEqual(
        (await jobsOf(w, job.outputs.deviceId))[0],
        before.id,
        "an option change starts no job",
      );
    },
  },
  replace: {
    config: { imageVersion: "6.3.0" },
    expect: async (w, before, job) => {
      await installedByNewJob(w, job, before);
      assert.strictEqual(await jobStatus(w, before.id), "COMPLETED", "the old job is forgotten");
    },
  },
  outOfBand: {
    deleted: {
      notApplicable:
        "a device job cannot be deleted (the API has no call for it); it stays readable and listed",
    },
    statusChanged: {
      what: "the job reported FAILED",
      mutate: (w, job) => w.control(`device-jobs/${job.id}/status`, { status: "FAILED" }),
      afterRefresh: (_w, _before, job) =>
        assert.strictEqual(job?.outputs.status, "FAILED", "refresh records the status"),
      afterUp: (w, before, job) => installedByNewJob(w, job, before),
    },
    tagsChanged: {
      notApplicable:
        "a device job has no tags: CreateJobForDevices takes none, and no tag operation names a job",
    },
    patchDeregistered: {
      notApplicable: "a device job installs appliance software, not a node package patch",
    },
  },
  destroyed: async (w, last) =>
    assert.strictEqual(await jobStatus(w, last.id), "COMPLETED", "destroy only forgets the job"),
  recreated: (w, last, now) => installedByNewJob(w, now, last),
  kill: { hold: "deviceUpdate", operation: "CreateJobForDevices" },
};

describeLifecycle(DEVICE_JOB);
