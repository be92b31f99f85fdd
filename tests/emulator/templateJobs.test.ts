import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CreateNodeFromTemplateJobCommand,
  CreateNodeFromTemplateJobCommandInput,
  DeletePackageCommand,
  DescribeNodeCommand,
  DescribeNodeFromTemplateJobCommand,
  DescribePackageCommand,
  DescribePackageVersionCommand,
  ListNodeFromTemplateJobsCommand,
  ListNodesCommand,
} from "@aws-sdk/client-panorama";
import { raw } from "../support/signedRequests";
import {
  controlRequest,
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import {
  CAMERA_PASSWORD,
  CAMERA_URL,
  cameraJobInput,
  createCameraJob,
  createCameraNode,
} from "./cameraNodes";

describe("emulator: camera nodes from templates", () => {
  const logLines: string[] = [];
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator({ log: (line) => logLines.push(line) })));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const describeJob = (JobId: string) =>
    ctx.panorama.send(new DescribeNodeFromTemplateJobCommand({ JobId }));

  it("is PENDING with a lowercase UUID until its duration has passed, then SUCCEEDED", async () => {
    const jobId = await createCameraJob(ctx, "front_door", { NodeDescription: "Front door" });
    assert.match(jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    let job = await describeJob(jobId);
    assert.strictEqual(job.Status, "PENDING");
    assert.ok(job.StatusMessage!.length > 0);
    ctx.emu.control.advanceClock(999);
    assert.strictEqual((await describeJob(jobId)).Status, "PENDING");
    ctx.emu.control.advanceClock(1);
    job = await describeJob(jobId);
    assert.strictEqual(job.Status, "SUCCEEDED", job.StatusMessage);
    assert.strictEqual(job.LastUpdatedTime!.getTime() - job.CreatedTime!.getTime(), 1000);
    assert.strictEqual(job.OutputPackageName, "front_door");
    assert.strictEqual(job.OutputPackageVersion, "1.0");
    assert.strictEqual(job.NodeName, "front_door");
    assert.strictEqual(job.NodeDescription, "Front door");
    assert.strictEqual(job.TemplateType, "RTSP_CAMERA_STREAM");
  });

  it("registers a MEDIA_SOURCE node package version that ListNodes, DescribeNode and DescribePackageVersion show", async () => {
    await createCameraNode(ctx, "lobby_cam");
    const { Nodes } = await ctx.panorama.send(
      new ListNodesCommand({ Category: "MEDIA_SOURCE", OwnerAccount: "123456789012" }),
    );
    assert.strictEqual(Nodes!.length, 1);
    const node = Nodes![0];
    assert.strictEqual(node.Name, "lobby_cam");
    assert.strictEqual(node.PackageName, "lobby_cam");
    assert.strictEqual(node.PackageVersion, "1.0");
    assert.match(node.PatchVersion!, /^[0-9a-f]{64}$/);
    assert.strictEqual(node.NodeId, `lobby_cam-1.0-${node.PatchVersion!.slice(0, 8)}-lobby_cam`);

    const pkg = await ctx.panorama.send(
      new DescribePackageCommand({ PackageId: "packageName/lobby_cam" }),
    );
    assert.strictEqual(node.PackageId, pkg.PackageId);
    assert.strictEqual(node.PackageArn, pkg.Arn);
    const version = await ctx.panorama.send(
      new DescribePackageVersionCommand({ PackageId: pkg.PackageId, PackageVersion: "1.0" }),
    );
    assert.strictEqual(version.PatchVersion, node.PatchVersion);
    assert.strictEqual(version.Status, "REGISTER_COMPLETED");
    assert.strictEqual(version.IsLatestPatch, true);

    const described = await ctx.panorama.send(new DescribeNodeCommand({ NodeId: node.NodeId }));
    assert.strictEqual(described.Category, "MEDIA_SOURCE");
    assert.strictEqual(described.OwnerAccount, "123456789012");
    assert.deepStrictEqual(described.NodeInterface!.Outputs, [
      { Name: "video_out", Type: "MEDIA", Description: "The camera's video frames." },
    ]);
  });

  it("tags the package with the job's PACKAGE tags and makes a new patch per job", async () => {
    const first = await createCameraNode(ctx, "tagged_cam");
    const patchOf = async () =>
      (await ctx.panorama.send(new ListNodesCommand({ PackageName: "tagged_cam" }))).Nodes![0]
        .PatchVersion;
    const before = await patchOf();
    await ctx.panorama.send(
      new DeletePackageCommand({ PackageId: "packageName/tagged_cam", ForceDelete: true }),
    );
    assert.deepStrictEqual(
      (await ctx.panorama.send(new ListNodesCommand({ PackageName: "tagged_cam" }))).Nodes,
      [],
    );
    const jobId = await createCameraJob(ctx, "tagged_cam", {
      JobTags: [{ ResourceType: "PACKAGE", Tags: { site: "north" } }],
    });
    ctx.emu.control.advanceClock(1000);
    assert.strictEqual((await describeJob(jobId)).Status, "SUCCEEDED");
    assert.notStrictEqual(await patchOf(), before, `job ${first} and ${jobId} made one patch`);
    const pkg = await ctx.panorama.send(
      new DescribePackageCommand({ PackageId: "packageName/tagged_cam" }),
    );
    assert.deepStrictEqual(pkg.Tags, { site: "north" });
  });

  it("Describe answers Username and Password as SAVED_AS_SECRET and StreamUrl in clear", async () => {
    const jobId = await createCameraNode(ctx, "masked_cam");
    assert.deepStrictEqual((await describeJob(jobId)).TemplateParameters, {
      Username: "SAVED_AS_SECRET",
      Password: "SAVED_AS_SECRET",
      StreamUrl: CAMERA_URL,
    });
  });

  it("keeps the password in no state dump, list, describe or log line, yet can tell whether a value is it", async () => {
    logLines.length = 0;
    const jobId = await createCameraNode(ctx, "secret_cam");
    const seen = [
      JSON.stringify(ctx.emu.control.state()),
      JSON.stringify((await controlRequest(ctx.emu, "GET", "state")).body),
      JSON.stringify(await describeJob(jobId)),
      JSON.stringify(await ctx.panorama.send(new ListNodeFromTemplateJobsCommand({}))),
      JSON.stringify(await ctx.panorama.send(new ListNodesCommand({}))),
      logLines.join("\n"),
    ];
    for (const text of seen) assert.ok(!text.includes(CAMERA_PASSWORD), text.slice(0, 300));
    // The stream URL is given back by Describe (as AWS does) but is not in the state either.
    assert.ok(!seen[0].includes(CAMERA_URL));
    assert.ok(logLines.some((l) => l.includes(`template job ${jobId} SUCCEEDED`)));

    const check = await controlRequest(ctx.emu, "POST", `template-jobs/${jobId}/check-parameters`, {
      Password: CAMERA_PASSWORD,
      Username: "someone-else",
      StreamUrl: CAMERA_URL,
    });
    assert.deepStrictEqual(check.body, {
      matches: { Password: true, Username: false, StreamUrl: true },
    });
    const unknown = await controlRequest(
      ctx.emu,
      "POST",
      `template-jobs/${jobId}/check-parameters`,
      {
        constructor: "x",
        Port: "554",
      },
    );
    assert.deepStrictEqual(unknown.body, { matches: { constructor: false, Port: false } });
  });

  it("a state file holds neither the password nor the stream URL, and a restart still answers Describe", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-emulator-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startTestEmulator({ stateFile });
      const jobId = await createCameraNode(first, "persisted_cam");
      await stopTestEmulator(first);
      const text = fs.readFileSync(stateFile, "utf8");
      assert.ok(text.includes(jobId));
      assert.ok(!text.includes(CAMERA_PASSWORD) && !text.includes(CAMERA_URL));
      assert.strictEqual(fs.statSync(`${stateFile}.key`).mode & 0o777, 0o600);
      const again = await startTestEmulator({ stateFile });
      try {
        const job = await again.panorama.send(
          new DescribeNodeFromTemplateJobCommand({ JobId: jobId }),
        );
        assert.strictEqual(job.Status, "SUCCEEDED");
        assert.strictEqual(job.TemplateParameters!.StreamUrl, CAMERA_URL);
      } finally {
        await stopTestEmulator(again);
      }
      fs.rmSync(`${stateFile}.key`);
      await assert.rejects(startTestEmulator({ stateFile }), (e: Error) =>
        e.message.includes(`holds secrets sealed with ${stateFile}.key, which is missing`),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a body that is not JSON is refused without repeating any of it", async () => {
    const res = await raw(ctx.emu, {
      method: "POST",
      path: "/packages/template-job",
      body: `{"TemplateParameters": {"Password": ${CAMERA_PASSWORD}}}`,
      service: "panorama",
    });
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.json().Reason, "CANNOT_PARSE");
    assert.match(res.json().Message, /^Could not parse the request body as JSON: Unexpected token/);
    assert.ok(!res.text.includes(CAMERA_PASSWORD), res.text);
  });

  describe("bad input is a ValidationException naming the member, and nothing is stored", () => {
    const cases: [
      string,
      Partial<CreateNodeFromTemplateJobCommandInput> | Record<string, unknown>,
      RegExp,
    ][] = [
      ["TemplateType missing", { TemplateType: undefined }, /^TemplateType$/],
      ["TemplateType unknown", { TemplateType: "USB_CAMERA" }, /^TemplateType$/],
      ["OutputPackageName missing", { OutputPackageName: undefined }, /^OutputPackageName$/],
      ["OutputPackageName pattern", { OutputPackageName: "front door" }, /^OutputPackageName$/],
      ["OutputPackageName length", { OutputPackageName: "x".repeat(129) }, /^OutputPackageName$/],
      ["OutputPackageVersion pattern", { OutputPackageVersion: "1" }, /^OutputPackageVersion$/],
      ["NodeName missing", { NodeName: undefined }, /^NodeName$/],
      ["NodeName pattern", { NodeName: "cam.1" }, /^NodeName$/],
      ["NodeDescription length", { NodeDescription: "d".repeat(256) }, /^NodeDescription$/],
      ["TemplateParameters missing", { TemplateParameters: undefined }, /^TemplateParameters$/],
      [
        "a parameter value empty",
        { TemplateParameters: { StreamUrl: CAMERA_URL, Password: "" } },
        /^TemplateParameters\["Password"\]$/,
      ],
      [
        "a parameter value too long",
        { TemplateParameters: { StreamUrl: CAMERA_URL, Password: "p".repeat(256) } },
        /^TemplateParameters\["Password"\]$/,
      ],
      [
        "a parameter the template does not have",
        { TemplateParameters: { StreamUrl: CAMERA_URL, Port: "554" } },
        /^TemplateParameters\.Port$/,
      ],
      [
        "no StreamUrl",
        { TemplateParameters: { Username: "admin", Password: CAMERA_PASSWORD } },
        /^TemplateParameters\.StreamUrl$/,
      ],
      [
        "a StreamUrl that is not rtsp://",
        { TemplateParameters: { StreamUrl: "http://10.0.0.5/stream" } },
        /^TemplateParameters\.StreamUrl$/,
      ],
      [
        "JobTags resource type",
        { JobTags: [{ ResourceType: "DEVICE", Tags: { a: "b" } }] },
        /^JobTags\[0\]\.ResourceType$/,
      ],
    ];
    for (const [title, change, member] of cases)
      it(title, async () => {
        const input = { ...cameraJobInput("bad_input_cam"), ...change } as any;
        const e = await rejects(
          ctx.panorama.send(new CreateNodeFromTemplateJobCommand(input)),
          "ValidationException",
        );
        assert.ok(
          e.Fields.some((f: { Name: string }) => member.test(f.Name)),
          `${JSON.stringify(e.Fields)} names ${member}`,
        );
        assert.ok(!e.message.includes(CAMERA_PASSWORD) && !e.message.includes("p".repeat(256)));
        const list = await ctx.panorama.send(new ListNodeFromTemplateJobsCommand({}));
        assert.deepStrictEqual(list.NodeFromTemplateJobs, []);
        assert.deepStrictEqual(Object.keys(ctx.emu.control.state().templateJobs as object), []);
      });
  });

  it("the same package name and version again is a ConflictException, pending or done", async () => {
    const first = await createCameraJob(ctx, "dup_cam");
    const pending = await rejects(createCameraJob(ctx, "dup_cam"), "ConflictException");
    assert.strictEqual(pending.ResourceId, first);
    ctx.emu.control.advanceClock(1000);
    const done = await rejects(createCameraJob(ctx, "dup_cam"), "ConflictException");
    assert.match(done.message, /dup_cam 1\.0 already exists/);
    // Another version of the same package is fine.
    await createCameraJob(ctx, "dup_cam", { OutputPackageVersion: "2.0" });
  });

  it("an unknown JobId is a ResourceNotFoundException", async () => {
    const e = await rejects(
      describeJob("00000000-0000-0000-0000-000000000000"),
      "ResourceNotFoundException",
    );
    assert.strictEqual(e.ResourceType, "NodeFromTemplateJob");
  });

  it("ListNodeFromTemplateJobs lists newest first, finished jobs included, in pages", async () => {
    const ids: string[] = [];
    for (const name of ["cam_a", "cam_b", "cam_c"]) {
      ids.push(await createCameraJob(ctx, name));
      if (name === "cam_a") ctx.emu.control.advanceClock(1000);
    }
    const first = await ctx.panorama.send(new ListNodeFromTemplateJobsCommand({ MaxResults: 2 }));
    assert.deepStrictEqual(
      first.NodeFromTemplateJobs!.map((j) => j.JobId),
      [ids[2], ids[1]],
    );
    assert.ok(first.NextToken);
    const second = await ctx.panorama.send(
      new ListNodeFromTemplateJobsCommand({ MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.deepStrictEqual(second.NodeFromTemplateJobs, [
      {
        JobId: ids[0],
        TemplateType: "RTSP_CAMERA_STREAM",
        Status: "SUCCEEDED",
        StatusMessage: "The node was created from the template.",
        CreatedTime: second.NodeFromTemplateJobs![0].CreatedTime,
        NodeName: "cam_a",
      },
    ]);
    assert.strictEqual(second.NextToken, undefined);
  });

  it("manual mode waits for the control API: complete, fail with a message, or a forced status", async () => {
    ctx.emu.control.setTiming({ templateJob: { mode: "manual" } });
    const done = await createCameraJob(ctx, "manual_ok");
    const failed = await createCameraJob(ctx, "manual_fail");
    ctx.emu.control.advanceClock(60_000);
    assert.strictEqual((await describeJob(done)).Status, "PENDING");
    const completed = await controlRequest(ctx.emu, "POST", `template-jobs/${done}/complete`, {});
    assert.strictEqual(completed.body.Status, "SUCCEEDED");
    const f = await controlRequest(ctx.emu, "POST", `template-jobs/${failed}/fail`, {
      message: "The camera did not answer.",
    });
    assert.strictEqual(f.status, 200);
    const job = await describeJob(failed);
    assert.strictEqual(job.Status, "FAILED");
    assert.strictEqual(job.StatusMessage, "The camera did not answer.");
    await rejects(
      ctx.panorama.send(new DescribePackageCommand({ PackageId: "packageName/manual_fail" })),
      "ResourceNotFoundException",
    );
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", `template-jobs/${failed}/complete`, {})).status,
      409,
    );
    const forced = await controlRequest(ctx.emu, "POST", `template-jobs/${done}/status`, {
      status: "FAILED",
      statusMessage: "Forced.",
    });
    assert.strictEqual(forced.body.Status, "FAILED");
    assert.strictEqual(forced.body.StatusMessage, "Forced.");
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", `template-jobs/${done}/status`, { status: "DONE" }))
        .status,
      400,
    );
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", "template-jobs/nope/complete", {})).status,
      404,
    );
  });

  it("a package quota the job hits fails it with the service's message", async () => {
    const small = await startTestEmulator({ quotas: { packages: 1 } });
    try {
      await createCameraNode(small, "first_cam");
      const jobId = await createCameraJob(small, "second_cam");
      small.emu.control.advanceClock(1000);
      const job = await small.panorama.send(
        new DescribeNodeFromTemplateJobCommand({ JobId: jobId }),
      );
      assert.strictEqual(job.Status, "FAILED");
      assert.match(job.StatusMessage!, /maximum number of packages \(1\)/);
    } finally {
      await stopTestEmulator(small);
    }
  });

  it("CreateNodeFromTemplateJob is limited to 1 request/s when rate limits are on", async () => {
    ctx.emu.control.setRateLimits(true);
    try {
      await createCameraJob(ctx, "rate_a");
      const e = await rejects(createCameraJob(ctx, "rate_b"), "ThrottlingException");
      assert.match(e.message, /1 request\/s for CreateNodeFromTemplateJob/);
      assert.strictEqual(e.$metadata.httpStatusCode, 429);
    } finally {
      ctx.emu.control.setRateLimits(false);
    }
  });

  it("a fault rule can fail the create before anything is stored", async () => {
    ctx.emu.control.addFault({
      operation: "CreateNodeFromTemplateJob",
      error: "InternalServerException",
      count: 1,
    });
    await rejects(createCameraJob(ctx, "faulted_cam"), "InternalServerException");
    assert.deepStrictEqual(Object.keys(ctx.emu.control.state().templateJobs as object), []);
    await createCameraJob(ctx, "faulted_cam");
  });
});
