// The CameraNode provider's methods against the emulator, through the real AWS SDK over HTTP:
// what `pulumi up`, `pulumi refresh` and `pulumi destroy` make them do.
import * as assert from "assert";
import {
  DescribeNodeCommand,
  DescribePackageVersionCommand,
  ListNodeFromTemplateJobsCommand,
} from "@aws-sdk/client-panorama";
import { cameraNodeImplementation as impl } from "../../provider/resources/cameraNode";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";

const PROVIDER = "serialized-provider-text";
const PASSWORD = "hunter2-camera-secret";
const TIMING = { templateJob: { mode: "timed" as const, durationMs: 300 } };

function inputs(name: string, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    __provider: PROVIDER,
    templateType: "RTSP_CAMERA_STREAM",
    outputPackageName: name,
    outputPackageVersion: "1.0",
    nodeName: name,
    templateParameters: {
      StreamUrl: "rtsp://10.0.0.8:554/stream",
      Username: "admin",
      Password: PASSWORD,
    },
    waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 20 },
    ...extra,
  };
}

describe("CameraNode provider against the emulator", function () {
  this.timeout(30_000);
  const fx = useEmulator({ timing: TIMING });
  let n = 0;
  const unique = (name: string) => `${name}_${++n}`;
  afterEach(async () => emulatorControl(fx().emu, "POST", "timing", TIMING));

  it("creates the node, waits for SUCCEEDED and returns the node and every output", async () => {
    const name = unique("front_door");
    const { id, outs } = await impl.create(inputs(name));
    assert.strictEqual(outs!.jobId, id);
    assert.strictEqual(outs!.status, "SUCCEEDED");
    assert.strictEqual(outs!.statusMessage.constructor, String);
    assert.strictEqual(outs!.packageName, name);
    assert.strictEqual(outs!.packageVersion, "1.0");
    assert.match(outs!.packageId, /^package-/);
    assert.match(outs!.patchVersion, /^[0-9a-f]{64}$/);
    assert.strictEqual(outs!.nodeInterface, `${outs!.ownerAccount}::${name}.${name}`);
    assert.ok(outs!.createdTime && outs!.lastUpdatedTime);
    assert.strictEqual(outs!.__provider, PROVIDER);
    assert.deepStrictEqual(
      outs!.templateParameters,
      inputs(name).templateParameters,
      "not the masked values",
    );
    const node = await fx().panorama.send(new DescribeNodeCommand({ NodeId: outs!.nodeId }));
    assert.strictEqual(node.Category, "MEDIA_SOURCE");
    assert.strictEqual(node.PatchVersion, outs!.patchVersion);
    const check = await emulatorControl(fx().emu, "POST", `template-jobs/${id}/check-parameters`, {
      Password: PASSWORD,
    });
    assert.deepStrictEqual(check, { matches: { Password: true } });
  });

  it("refuses bad input naming the property, before any call, without repeating a value", async () => {
    const before = (await fx().panorama.send(new ListNodeFromTemplateJobsCommand({})))
      .NodeFromTemplateJobs!.length;
    const r = await impl.check(
      {},
      inputs("bad name", {
        outputPackageVersion: "1",
        templateParameters: { StreamUrl: "rtsp://h/s", Password: "" },
      }),
    );
    const props = r.failures!.map((f) => f.property);
    assert.ok(props.includes("outputPackageName"), JSON.stringify(r.failures));
    assert.ok(props.includes("outputPackageVersion"));
    assert.ok(props.includes("templateParameters"));
    const missing = await impl.check({}, { __provider: PROVIDER });
    assert.ok(
      missing.failures!.some(
        (f) => f.property === "templateParameters" && /must not be null/.test(f.reason),
      ),
    );
    const after = (await fx().panorama.send(new ListNodeFromTemplateJobsCommand({})))
      .NodeFromTemplateJobs!.length;
    assert.strictEqual(after, before);
  });

  it("records a FAILED job with its id, message and the next step; the next up replaces it", async () => {
    const name = unique("failing");
    await emulatorControl(fx().emu, "POST", "timing", { templateJob: { mode: "manual" } });
    const created = impl.create(inputs(name));
    let jobs: any[] = [];
    for (let i = 0; i < 100 && !jobs.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      jobs = (
        await fx().panorama.send(new ListNodeFromTemplateJobsCommand({}))
      ).NodeFromTemplateJobs!.filter((j) => j.NodeName === name);
    }
    await emulatorControl(fx().emu, "POST", `template-jobs/${jobs[0].JobId}/fail`, {
      message: "The camera did not answer",
    });
    const e = await created.then(
      () => assert.fail("expected a failure"),
      (err) => err,
    );
    assert.ok(e instanceof RecordedFailure, String(e));
    assert.strictEqual(e.properties.status, "FAILED");
    const reason = e.reasons[0];
    assert.ok(reason.includes(e.id) && reason.includes("The camera did not answer"), reason);
    assert.match(reason, /run `pulumi up` again/);
    assert.ok(!reason.includes(PASSWORD));
    const d = await impl.diff(e.id, e.properties, inputs(name));
    assert.ok(d.replaces!.length > 0, "a FAILED job is replaced");
  });

  it("re-adopts the job an interrupted run started (the API has no client token)", async () => {
    const name = unique("again");
    const first = await impl.create(inputs(name));
    const second = await impl.create(inputs(name));
    assert.strictEqual(second.id, first.id);
    assert.strictEqual(second.outs!.nodeId, first.outs!.nodeId);
    await assert.rejects(
      impl.create(inputs(name, { templateParameters: { StreamUrl: "rtsp://other/s" } })),
      (err: Error) =>
        /ConflictException|CreateNodeFromTemplateJob failed/.test(err.message) &&
        !err.message.includes(PASSWORD),
    );
  });

  it("re-adopts only the version's newest job: an older one of the same names is history", async () => {
    const name = unique("history");
    const old = await impl.create(inputs(name));
    await impl.delete(old.id, old.outs!);
    const current = await impl.create(inputs(name));
    // The job holding the version now reads FAILED: nothing of that name may be taken over.
    await emulatorControl(fx().emu, "POST", `template-jobs/${current.id}/status`, {
      status: "FAILED",
    });
    await assert.rejects(impl.create(inputs(name)), (err: Error) =>
      /ConflictException/.test(err.message),
    );
  });

  it("delete() of a job read FAILED since it made its node deregisters the node's patch", async () => {
    const name = unique("reported");
    const made = await impl.create(inputs(name));
    await emulatorControl(fx().emu, "POST", `template-jobs/${made.id}/status`, {
      status: "FAILED",
    });
    const read = await impl.read(made.id, made.outs!);
    assert.strictEqual(read.props!.status, "FAILED");
    await impl.delete(made.id, read.props!);
    const next = await impl.create(inputs(name));
    assert.notStrictEqual(next.id, made.id, "the version was free for a new node");
  });

  it("diff: template parameters and names replace; waiting options and deregisterOnDelete do not", async () => {
    const olds = {
      ...inputs("k"),
      patchVersion: "abcdef12",
      status: "SUCCEEDED",
      nodeId: "k-1.0-abcdef12-k",
      region: "us-east-1",
    };
    assert.strictEqual((await impl.diff("id", olds, inputs("k"))).changes, false);
    for (const [key, change] of [
      [
        "templateParameters",
        { templateParameters: { ...inputs("k").templateParameters, Password: "new" } },
      ],
      [
        "templateParameters",
        { templateParameters: { ...inputs("k").templateParameters, StreamUrl: "rtsp://b/s" } },
      ],
      ["nodeName", { nodeName: "other" }],
      ["outputPackageVersion", { outputPackageVersion: "2.0" }],
    ] as const) {
      const d = await impl.diff("id", olds, { ...inputs("k"), ...change });
      assert.deepStrictEqual([d.changes, d.replaces], [true, [key]], key);
      // The same package version takes one camera: the old node goes first.
      assert.strictEqual(d.deleteBeforeReplace, key !== "outputPackageVersion", key);
    }
    for (const change of [{ waitOptions: { timeoutSeconds: 9 } }, { deregisterOnDelete: false }]) {
      const d = await impl.diff("id", olds, { ...inputs("k"), ...change });
      assert.deepStrictEqual([d.changes, d.replaces], [true, []], JSON.stringify(change));
    }
  });

  it("read() keeps the program's parameters; a deregistered patch makes the next up replace", async () => {
    const name = unique("refresh");
    const { id, outs } = await impl.create(inputs(name));
    const r = await impl.read(id, outs!);
    assert.strictEqual(r.props!.status, "SUCCEEDED");
    assert.deepStrictEqual(r.props!.templateParameters, outs!.templateParameters);
    assert.ok(!JSON.stringify(r.props).includes("SAVED_AS_SECRET"));
    await impl.delete(id, outs!);
    const gone = await impl.read(id, outs!);
    assert.strictEqual(gone.props!.nodeId, undefined);
    assert.ok((await impl.diff(id, gone.props!, inputs(name))).replaces!.length > 0);
  });

  it("delete() deregisters the node's patch by default, and keeps it with deregisterOnDelete false", async () => {
    const kept = await impl.create(inputs(unique("kept")));
    const patchOf = (o: any) => ({
      PackageId: o.packageId,
      PackageVersion: "1.0",
      PatchVersion: o.patchVersion,
    });
    await impl.delete(kept.id, { ...kept.outs!, deregisterOnDelete: false });
    assert.strictEqual(
      (await fx().panorama.send(new DescribePackageVersionCommand(patchOf(kept.outs)))).Status,
      "REGISTER_COMPLETED",
    );
    const name = unique("removed");
    const removed = await impl.create(inputs(name));
    await impl.delete(removed.id, removed.outs!);
    await assert.rejects(
      fx().panorama.send(new DescribePackageVersionCommand(patchOf(removed.outs))),
      {
        name: "ResourceNotFoundException",
      },
    );
    const again = await impl.create(inputs(name));
    assert.notStrictEqual(again.id, removed.id, "the version takes a new camera once deregistered");
  });
});
