// The DeviceJob provider's methods against the emulator, through the real AWS SDK over HTTP:
// what `pulumi up`, `pulumi refresh` and `pulumi destroy` make them do.
import * as assert from "assert";
import {
  DescribeDeviceCommand,
  DescribeDeviceJobCommand,
  ListDevicesCommand,
} from "@aws-sdk/client-panorama";
import { deviceJobImplementation as impl } from "../../provider/resources/deviceJob";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";

const PROVIDER = "serialized-provider-text";
const TIMING = {
  deviceUpdate: { mode: "timed" as const, durationMs: 400 },
  deviceReboot: { mode: "timed" as const, durationMs: 200 },
};
const WAIT = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 20 };

describe("DeviceJob provider against the emulator", function () {
  this.timeout(30_000);
  const fx = useEmulator({
    timing: TIMING,
    devices: [
      { name: "lobby", currentSoftware: "6.2.1", latestSoftware: "6.3.0" },
      { name: "dock", currentSoftware: "6.2.1" },
    ],
  });
  const device: Record<string, string> = {};
  beforeEach(async () => {
    await emulatorControl(fx().emu, "POST", "reset");
    const { Devices } = await fx().panorama.send(new ListDevicesCommand({}));
    for (const d of Devices!) device[d.Name!] = d.DeviceId!;
  });

  const ota = (name: string, extra: Record<string, unknown> = {}): Record<string, any> => ({
    __provider: PROVIDER,
    deviceId: device[name],
    jobType: "OTA",
    imageVersion: "6.3.0",
    waitOptions: WAIT,
    ...extra,
  });
  const software = async (name: string) =>
    (await fx().panorama.send(new DescribeDeviceCommand({ DeviceId: device[name] })))
      .CurrentSoftware;
  const panoramaCalls = async () => {
    const counts = await emulatorControl(fx().emu, "GET", "requests");
    return Object.keys(counts.byOperation).filter((k) => k.startsWith("panorama:"));
  };

  it("runs an OTA until COMPLETED and returns the job, the device and its software after", async () => {
    const { id, outs } = await impl.create(ota("lobby"));
    assert.strictEqual(id, `${device.lobby}-0`);
    assert.strictEqual(outs!.jobId, id);
    assert.strictEqual(outs!.status, "COMPLETED");
    assert.strictEqual(outs!.deviceId, device.lobby);
    assert.strictEqual(outs!.deviceName, "lobby");
    assert.strictEqual(outs!.jobType, "OTA");
    assert.strictEqual(outs!.imageVersion, "6.3.0");
    assert.strictEqual(outs!.currentSoftware, "6.3.0");
    assert.match(outs!.createdTime, /^\d{4}-\d\d-\d\dT/);
    assert.strictEqual(outs!.__provider, PROVIDER);
    assert.strictEqual(await software("lobby"), "6.3.0");
  });

  it("runs a REBOOT until COMPLETED; the software stays as it was", async () => {
    const { outs } = await impl.create({
      __provider: PROVIDER,
      deviceId: device.dock,
      jobType: "REBOOT",
      waitOptions: WAIT,
    });
    assert.deepStrictEqual(
      [outs!.status, outs!.jobType, outs!.imageVersion, outs!.currentSoftware],
      ["COMPLETED", "REBOOT", undefined, "6.2.1"],
    );
  });

  it("refuses bad input naming the property and the rule, before any call", async () => {
    await emulatorControl(fx().emu, "POST", "requests/reset");
    const failures = async (inputs: Record<string, unknown>) =>
      (await impl.check({}, { __provider: PROVIDER, ...inputs })).failures ?? [];
    const missing = await failures({});
    assert.deepStrictEqual(missing.map((f) => f.property).sort(), ["deviceId", "jobType"]);
    assert.ok(
      missing.every((f) => /must not be null/.test(f.reason)),
      JSON.stringify(missing),
    );

    const [noImage] = await failures({ deviceId: "device-1", jobType: "OTA" });
    assert.strictEqual(noImage.property, "imageVersion");
    assert.match(noImage.reason, /^imageVersion: is required for an OTA job/);

    const reboot = await failures({
      deviceId: "device-1",
      jobType: "REBOOT",
      imageVersion: "6.3.0",
      allowMajorVersionUpdate: true,
    });
    assert.deepStrictEqual(
      reboot.map((f) => f.property),
      ["imageVersion", "allowMajorVersionUpdate"],
    );
    assert.match(reboot[0].reason, /applies to OTA jobs only/);

    const shapes = await failures({
      deviceId: "not a device id!",
      jobType: "UPDATE",
      imageVersion: "",
      allowMajorVersionUpdate: "yes",
    });
    const byProperty: Record<string, string> = {};
    for (const f of shapes) byProperty[f.property] ??= f.reason;
    assert.match(byProperty.deviceId, /^deviceId: must satisfy regular expression pattern/);
    assert.match(byProperty.jobType, /^jobType: must satisfy enum value set: \[OTA, REBOOT\]/);
    assert.match(byProperty.imageVersion, /^imageVersion: must have length/);
    assert.match(byProperty.allowMajorVersionUpdate, /^allowMajorVersionUpdate: must be a boolean/);
    assert.deepStrictEqual(await panoramaCalls(), [], "check calls nothing");

    assert.deepStrictEqual(
      await failures({ adoptJobId: "device-1-0", jobType: "OTA" }),
      [],
      "an adopted job has its own image",
    );
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // Pulumi's unknown value
    assert.deepStrictEqual(
      await failures({ deviceId: unknown, jobType: unknown, imageVersion: unknown }),
      [],
      "unknowns pass in preview",
    );
  });

  it("records a FAILED job naming the device, the state and what to do; the next up replaces it", async () => {
    await emulatorControl(fx().emu, "POST", `devices/${device.lobby}/fault`, {
      deviceJob: "FAILED",
      message: "The image did not verify",
    });
    const e = await impl.create(ota("lobby")).then(
      () => assert.fail("expected a failure"),
      (err) => err,
    );
    assert.ok(e instanceof RecordedFailure, String(e));
    assert.strictEqual(e.id, `${device.lobby}-0`);
    assert.strictEqual(e.properties.status, "FAILED");
    const reason = e.reasons[0];
    for (const part of [e.id, "FAILED", "lobby", device.lobby, "OTA to 6.3.0"])
      assert.ok(reason.includes(part), `${part} in: ${reason}`);
    assert.match(reason, /run `pulumi up` again/);
    assert.strictEqual(await software("lobby"), "6.2.1", "the software is unchanged");
    const d = await impl.diff(e.id, e.properties, ota("lobby"));
    assert.deepStrictEqual(d.replaces, ["status"], "a FAILED job is replaced");
  });

  it("a failure to start says nothing was started and what to fix", async () => {
    await assert.rejects(
      impl.create({ ...ota("lobby"), deviceId: "device-nosuchdevice" }),
      (e: Error) => {
        assert.ok(!(e instanceof RecordedFailure));
        assert.match(
          e.message,
          /DeviceJob OTA to 6\.3\.0 on device device-nosuchdevice: CreateJobForDevices failed: /,
        );
        assert.match(e.message, /Nothing was started/);
        return true;
      },
    );
  });

  it("re-adopts the job an interrupted run started while it still runs (the API has no client token)", async () => {
    await emulatorControl(fx().emu, "POST", "timing", { deviceUpdate: { mode: "manual" } });
    const noWait = { waitOptions: { ...WAIT, enabled: false } };
    const first = await impl.create(ota("lobby", noWait));
    assert.strictEqual(first.outs!.status, "PENDING");
    const second = await impl.create(ota("lobby", noWait));
    assert.strictEqual(second.id, first.id);
    // Another image while that job runs is not this resource's job: the conflict is told.
    await assert.rejects(
      impl.create(ota("lobby", { ...noWait, imageVersion: "6.2.5" })),
      (e: Error) =>
        /ConflictException/.test(e.message) && /not running another job/.test(e.message),
    );
    await emulatorControl(fx().emu, "POST", `device-jobs/${first.id}/complete`);
    const resumed = await impl.update(first.id, first.outs!, ota("lobby"));
    assert.strictEqual(resumed.outs!.status, "COMPLETED");
    assert.strictEqual(resumed.outs!.currentSoftware, "6.3.0");
  });

  it("diff: every job input makes a new job; waiting options do not", async () => {
    const olds = { ...ota("lobby"), jobId: "j", status: "COMPLETED", region: "us-east-1" };
    assert.strictEqual((await impl.diff("j", olds, ota("lobby"))).changes, false);
    for (const [key, change] of [
      ["imageVersion", { imageVersion: "6.4.0" }],
      ["deviceId", { deviceId: device.dock }],
      ["jobType", { jobType: "REBOOT", imageVersion: undefined }],
      ["allowMajorVersionUpdate", { allowMajorVersionUpdate: true }],
    ] as const) {
      const d = await impl.diff("j", olds, { ...ota("lobby"), ...change });
      assert.ok(d.replaces!.includes(key), `${key}: ${JSON.stringify(d)}`);
    }
    const d = await impl.diff("j", olds, ota("lobby", { waitOptions: { timeoutSeconds: 9 } }));
    assert.deepStrictEqual([d.changes, d.replaces, d.updates], [true, [], ["waitOptions"]]);
  });

  it("read() is DescribeDeviceJob: it records the job's status; a job that is gone leaves the stack", async () => {
    const { id, outs } = await impl.create(ota("lobby"));
    await emulatorControl(fx().emu, "POST", `device-jobs/${id}/status`, { status: "FAILED" });
    const r = await impl.read(id, outs!);
    assert.strictEqual(r.props!.status, "FAILED");
    assert.strictEqual(r.props!.currentSoftware, "6.3.0", "what the job left is kept");
    assert.ok((await impl.diff(id, r.props!, ota("lobby"))).replaces!.length > 0);
    assert.deepStrictEqual(await impl.read(`${device.lobby}-99`, outs!), {});
  });

  it("read() with no state imports a job by id, with the inputs a program would write", async () => {
    const { id } = await impl.create(ota("lobby"));
    const r = await impl.read(id, {});
    assert.strictEqual(r.id, id);
    assert.deepStrictEqual(
      [r.props!.deviceId, r.props!.jobType, r.props!.imageVersion, r.props!.status],
      [device.lobby, "OTA", "6.3.0", "COMPLETED"],
    );
    assert.strictEqual(r.props!.currentSoftware, "6.3.0");
  });

  it("adoptJobId brings an existing job under management; another device than the program's is refused", async () => {
    const { id } = await impl.create(ota("lobby"));
    const adopted = await impl.create({ __provider: PROVIDER, adoptJobId: id, waitOptions: WAIT });
    assert.deepStrictEqual([adopted.id, adopted.outs!.status], [id, "COMPLETED"]);
    assert.strictEqual(adopted.outs!.deviceName, "lobby");
    await assert.rejects(
      impl.create({
        __provider: PROVIDER,
        adoptJobId: id,
        deviceId: device.dock,
        waitOptions: WAIT,
      }),
      /adoptJobId: device job .* has another deviceId than the program sets/,
    );
    await assert.rejects(
      impl.create({ __provider: PROVIDER, adoptJobId: `${device.dock}-7`, waitOptions: WAIT }),
      /adoptJobId: device job .* does not exist .*list-devices-jobs/,
    );
  });

  it("delete() forgets the job: jobs cannot be deleted, and the device keeps its software", async () => {
    const { id, outs } = await impl.create(ota("lobby"));
    await impl.delete(id, outs!);
    const job = await fx().panorama.send(new DescribeDeviceJobCommand({ JobId: id }));
    assert.strictEqual(job.Status, "COMPLETED");
    assert.strictEqual(await software("lobby"), "6.3.0");
  });
});
