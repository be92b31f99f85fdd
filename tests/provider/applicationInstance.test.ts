// The ApplicationInstance provider: check() against the API model and the manifest schemas
// (pure), diff semantics (pure), and the provider's methods against the emulator through the
// real AWS SDK over HTTP: deploy, fail, replace on the device, refresh, tags, remove.
import * as assert from "assert";
import {
  CreateApplicationInstanceCommand,
  DescribeApplicationInstanceCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-panorama";
import { shape } from "../../model/panoramaModel";
import {
  applicationManifest,
  manifestOverrides,
  packageRef,
  PackageRef,
} from "../../provider/manifest/applicationManifest";
import { providerShim } from "../../provider/lifecycle/providerShim";
import {
  applicationInstanceImplementation as impl,
  applicationInstanceProvider,
  DEPLOYMENT_KEY_TAG,
  UNHEALTHY_GRACE_SECONDS,
} from "../../provider/resources/applicationInstance";
import { steppingClock } from "../support/fakeClock";
import { packageImportJobImplementation as importJob } from "../../provider/resources/packageImportJob";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import { UNKNOWN } from "../../provider/lifecycle/unknowns";
import { logged } from "../support/logged";
import { emulatorControl, MANIFEST_BUCKET, useEmulator } from "../support/emulatorFixture";
import { callInFreshProcess, serializeProvider } from "../support/serializedProvider";

const PROVIDER = "serialized-provider-text";
const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 20 };
const ACCOUNT = "123456789012";
const PATCH = "a".repeat(64);
const KEY_TAG = DEPLOYMENT_KEY_TAG;

/** A one-node graph.json running the SAMPLE_CODE package, pinned to `ref`'s patch. */
function manifestFor(ref: PackageRef, description?: string): string {
  return applicationManifest({
    description,
    packages: [ref],
    nodes: [
      { name: "code_node", package: ref, interfaceName: "interface" },
      { name: "log_level", interface: "string", value: "INFO", overridable: true },
    ],
  });
}

const SAMPLE_REF: PackageRef = {
  owner: ACCOUNT,
  name: "SAMPLE_CODE",
  version: "1.0",
  patchVersion: PATCH,
};

function validInputs(extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    __provider: PROVIDER,
    name: "sample-app",
    description: "The sample application",
    manifestPayload: manifestFor(SAMPLE_REF),
    defaultRuntimeContextDevice: "device-abc",
    runtimeRoleArn: `arn:aws:iam::${ACCOUNT}:role/panorama-app`,
    tags: { team: "vision" },
    deploymentKey: "pulumi-0123456789abcdef",
    region: "us-east-1",
    waitOptions: FAST,
    ...extra,
  };
}

function reasons(inputs: Record<string, unknown>): string[] {
  return impl.checkFailures(inputs).map((f) => `${f.property} | ${f.reason}`);
}

function assertFailure(inputs: Record<string, unknown>, expected: RegExp) {
  const all = reasons(inputs);
  assert.ok(
    all.some((r) => expected.test(r)),
    `expected ${expected} in\n${all.join("\n")}`,
  );
}

function maxLength(name: string): number {
  return (shape(name).traits!["smithy.api#length"] as { max: number }).max;
}

describe("ApplicationInstance check", () => {
  it("accepts a valid deployment and passes the inputs through", async () => {
    const news = validInputs({
      manifestOverridesPayload: manifestOverrides({
        nodes: [{ name: "debug_level", interface: "string", value: "DEBUG" }],
        nodeOverrides: [{ replace: "log_level", with: ["debug_level"] }],
      }),
      applicationInstanceIdToReplace: "applicationInstance-old",
    });
    const result = await impl.check({}, news);
    assert.deepStrictEqual(result.failures, []);
    assert.deepStrictEqual(result.inputs, news);
  });

  it("names each member that breaks a rule of CreateApplicationInstanceRequest", () => {
    const { manifestPayload, defaultRuntimeContextDevice, ...rest } = validInputs();
    assertFailure(rest, /^manifestPayload \| manifestPayload: must not be null$/);
    assertFailure(
      rest,
      /^defaultRuntimeContextDevice \| defaultRuntimeContextDevice: must not be null$/,
    );
    assertFailure(
      validInputs({ name: "sample app" }),
      /^name \| name: must satisfy regular expression pattern/,
    );
    assertFailure(
      validInputs({ description: "d".repeat(maxLength("Description") + 1) }),
      /^description \| description: must have length less than or equal to 255/,
    );
    assertFailure(
      validInputs({ runtimeRoleArn: "role/panorama" }),
      /^runtimeRoleArn \| runtimeRoleArn: must satisfy regular expression pattern: \^arn:/,
    );
    assertFailure(
      validInputs({ defaultRuntimeContextDevice: "device 1" }),
      /^defaultRuntimeContextDevice \| defaultRuntimeContextDevice: must satisfy regular expression pattern/,
    );
    assertFailure(
      validInputs({ applicationInstanceIdToReplace: "" }),
      /^applicationInstanceIdToReplace \| applicationInstanceIdToReplace: must have length greater than or equal to 1/,
    );
    assertFailure(
      validInputs({ tags: { k: "v".repeat(257) } }),
      /^tags \| tags\["k"\]: must have length less than or equal to 256/,
    );
  });

  it("validates the manifest and names manifestPayload and the field", () => {
    const broken = JSON.parse(manifestFor(SAMPLE_REF));
    broken.nodeGraph.packages[0].version = "1";
    assertFailure(
      validInputs({ manifestPayload: JSON.stringify(broken) }),
      /^manifestPayload \| manifestPayload: nodeGraph\.packages\[0\]\.version: must match/,
    );
    assertFailure(
      validInputs({ manifestPayload: "{not json" }),
      /^manifestPayload \| manifestPayload: is not valid JSON/,
    );
    assertFailure(
      validInputs({ manifestPayload: "" }),
      /^manifestPayload \| manifestPayload: must not be empty/,
    );
    assertFailure(
      validInputs({
        manifestPayload: JSON.stringify(JSON.parse(manifestFor(SAMPLE_REF)), null, 2),
      }),
      /^manifestPayload \| manifestPayload: must match .*remove line breaks/,
    );
    assertFailure(
      validInputs({ manifestPayload: JSON.parse(manifestFor(SAMPLE_REF)) }),
      /^manifestPayload \| manifestPayload: must be the document's JSON text \(a string\); build it with applicationManifest\(\)/,
    );
    // The payload limits are reported once, in the manifest validator's words.
    assert.ok(
      !reasons(validInputs({ manifestPayload: "" })).some((r) =>
        /payloadData|length greater than/.test(r),
      ),
    );
  });

  it("validates the overrides against the manifest they apply to", () => {
    const overrides = JSON.stringify({
      nodeGraphOverrides: {
        envelopeVersion: "2021-01-01",
        nodes: [{ name: "x", interface: "string", value: "v" }],
        nodeOverrides: [{ replace: "code_node", with: [{ name: "x" }] }],
      },
    });
    assertFailure(
      validInputs({ manifestOverridesPayload: overrides }),
      /^manifestOverridesPayload \| manifestOverridesPayload: nodeGraphOverrides\.nodeOverrides\[0\]\.replace: node "code_node" is not overridable/,
    );
    assert.deepStrictEqual(
      reasons(validInputs({ manifestOverridesPayload: "" })),
      [],
      "an empty overrides payload means none",
    );
  });

  it("refuses a graph whose overrideMandatory node is left without overrides", () => {
    const graph = JSON.parse(manifestFor(SAMPLE_REF));
    Object.assign(graph.nodeGraph.nodes[0], { overridable: true, overrideMandatory: true });
    const mandatory = graph.nodeGraph.nodes[0].name;
    const manifestPayload = JSON.stringify(graph);
    assertFailure(
      validInputs({ manifestPayload }),
      new RegExp(`^manifestOverridesPayload \\| .*node "${mandatory}" is overrideMandatory`),
    );
    assert.deepStrictEqual(reasons(validInputs()), [], "a graph with no mandatory node needs none");
  });

  it("keeps the deploymentKey tag to itself and counts it against the 50-tag limit", () => {
    assertFailure(
      validInputs({ tags: { [KEY_TAG]: "x" } }),
      /^tags \| tags\["pulumi-panorama:deploymentKey"\]: is reserved/,
    );
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
    assertFailure(validInputs({ tags: fifty }), /^tags \| tags: must have at most 49 entries/);
    assert.strictEqual(reasons(validInputs({ tags: { ...fifty, k50: "v" } })).length, 1);
    const { deploymentKey, ...withoutKey } = validInputs();
    assertFailure(withoutKey, /^deploymentKey \| deploymentKey: is required/);
    assertFailure(
      validInputs({ deploymentKey: "k".repeat(257) }),
      /^deploymentKey \| deploymentKey: must have length less than or equal to 256/,
    );
  });

  it("checks the provider's own options and refuses unknown properties", () => {
    const inputs = validInputs({
      region: "US East",
      waitOptions: { backoffRate: 0.5 },
      manifest: "typo",
    });
    assertFailure(inputs, /^region \| region: must be an AWS region name/);
    assertFailure(
      inputs,
      /^waitOptions \| waitOptions\.backoffRate: must be a number between 1 and 10/,
    );
    assertFailure(inputs, /^manifest \| manifest: unknown property of ApplicationInstance/);
  });

  it("lets values that are unknown during preview through", () => {
    const inputs = validInputs({
      manifestPayload: UNKNOWN,
      manifestOverridesPayload: UNKNOWN,
      defaultRuntimeContextDevice: UNKNOWN,
      tags: UNKNOWN,
      deploymentKey: UNKNOWN,
    });
    assert.deepStrictEqual(impl.checkFailures(inputs), []);
  });
});

describe("ApplicationInstance diff", () => {
  const olds = {
    ...validInputs(),
    applicationInstanceId: "applicationInstance-abc",
    arn: `arn:aws:panorama:us-east-1:${ACCOUNT}:applicationInstance/applicationInstance-abc`,
    status: "DEPLOYMENT_SUCCEEDED",
    healthStatus: "RUNNING",
    statusDescription: "Application deployed successfully.",
    // Found by create and reported by the service; the program does not set it.
    applicationInstanceIdToReplace: "applicationInstance-older",
    packages: [{ name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: PATCH }],
  };
  const diff = (news: Record<string, unknown>, o: Record<string, unknown> = olds) =>
    impl.diff("applicationInstance-abc", o, news);

  it("reports no change for the same program", async () => {
    assert.deepStrictEqual(await diff(validInputs()), {
      changes: false,
      replaces: [],
      updates: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces the instance (create before delete) when a creation setting changes", async () => {
    const other = manifestFor({ ...SAMPLE_REF, patchVersion: "b".repeat(64) });
    for (const [key, value] of Object.entries({
      manifestPayload: other,
      manifestOverridesPayload: "",
      name: "renamed",
      description: "new text",
      defaultRuntimeContextDevice: "device-other",
      runtimeRoleArn: `arn:aws:iam::${ACCOUNT}:role/other`,
      region: "eu-west-1",
    })) {
      const d = await diff(validInputs({ [key]: value }));
      assert.deepStrictEqual(
        d,
        { changes: true, replaces: [key], updates: [], deleteBeforeReplace: false },
        key,
      );
    }
    assert.deepStrictEqual(
      (await diff(validInputs({ manifestPayload: UNKNOWN }))).replaces,
      ["manifestPayload"],
      "unknown in preview",
    );
  });

  it("updates tags, deploymentKey, waitOptions and provider code in place", async () => {
    for (const change of [
      { tags: { team: "other" } },
      { tags: {} },
      { deploymentKey: "pulumi-other" },
      { waitOptions: { timeoutSeconds: 60 } },
      { __provider: "new code" },
    ]) {
      const d = await diff(validInputs(change));
      assert.deepStrictEqual([d.changes, d.replaces], [true, []], JSON.stringify(change));
    }
  });

  it("ignores applicationInstanceIdToReplace after creation", async () => {
    assert.strictEqual(
      (await diff(validInputs({ applicationInstanceIdToReplace: "applicationInstance-cli" })))
        .changes,
      false,
    );
  });

  it("waits on a deployment in progress with an update and replaces a failed or removed one", async () => {
    const deploying = await diff(validInputs(), {
      ...olds,
      status: "DEPLOYMENT_IN_PROGRESS",
      healthStatus: "NOT_AVAILABLE",
    });
    assert.deepStrictEqual([deploying.changes, deploying.replaces], [true, []]);
    const noWait = await diff(validInputs({ waitOptions: { ...FAST, enabled: false } }), {
      ...olds,
      waitOptions: { ...FAST, enabled: false },
      status: "DEPLOYMENT_IN_PROGRESS",
    });
    assert.strictEqual(noWait.changes, false);
    for (const status of [
      "DEPLOYMENT_FAILED",
      "DEPLOYMENT_ERROR",
      "REMOVAL_FAILED",
      "REMOVAL_IN_PROGRESS",
    ]) {
      const d = await diff(validInputs(), { ...olds, status });
      assert.deepStrictEqual([d.changes, d.replaces], [true, ["status"]], status);
    }
  });
});

describe("serialized ApplicationInstance provider", function () {
  this.timeout(60_000);

  it("is a small shim that a fresh process loads by package name and runs", async () => {
    const { text, containsSecrets } = await serializeProvider(providerShim("ApplicationInstance"));
    assert.strictEqual(containsSecrets, false);
    assert.ok(text.length < 8 * 1024, `provider text is ${text.length} bytes`);
    assert.match(
      text,
      /"pulumi-panorama\/dist\/provider\/resources\/registry\.js"[\s\S]*require\(registry\)\.implementation\(type\)/,
    );
    assert.match(text, /"ApplicationInstance"/);
    assert.doesNotMatch(text, /client-panorama|smithy|PanoramaClient|AWS_SECRET_ACCESS_KEY/);
    const broken = validInputs({
      manifestPayload: manifestFor(SAMPLE_REF).replace('"version":"1.0"', '"version":"1"'),
    });
    const result = callInFreshProcess(text, "check", [{}, broken]);
    assert.ok(
      result.failures.some(
        (f: { property: string; reason: string }) =>
          f.property === "manifestPayload" && /nodeGraph\.packages\[0\]\.version/.test(f.reason),
      ),
      JSON.stringify(result.failures),
    );
  });
});

describe("ApplicationInstance provider against the emulator", function () {
  this.timeout(60_000);
  const fx = useEmulator({
    devices: [{ name: "lobby-camera" }, { name: "dock-camera" }],
    // Tests leave instances deployed; the real limit of 10 per device would couple them.
    quotas: { applicationInstancesPerDevice: 100 },
    timing: {
      importJob: { mode: "timed", durationMs: 100 },
      deployment: { mode: "timed", durationMs: 300 },
      removal: { mode: "timed", durationMs: 200 },
    },
  });
  let device: string;
  let otherDevice: string;
  let ref: PackageRef;
  let n = 0;

  const inputs = (extra: Record<string, unknown> = {}) =>
    validInputs({
      name: `app-${++n}`,
      deploymentKey: `pulumi-key-${n}`,
      defaultRuntimeContextDevice: device,
      manifestPayload: manifestFor(ref),
      runtimeRoleArn: undefined,
      ...extra,
    });
  const describeInstance = (id: string) =>
    fx().panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
  const setTiming = (timing: Record<string, unknown>) =>
    emulatorControl(fx().emu, "POST", "timing", timing);

  async function recorded(p: Promise<unknown>): Promise<RecordedFailure> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof RecordedFailure, `expected a RecordedFailure, got ${e}`);
      return e;
    }
    return assert.fail("expected the call to fail");
  }

  before(async () => {
    const devices = (await fx().panorama.send(new ListDevicesCommand({}))).Devices!;
    device = devices.find((d) => d.Name === "lobby-camera")!.DeviceId!;
    otherDevice = devices.find((d) => d.Name === "dock-camera")!.DeviceId!;
    // The patch the deployments pin: imported by the PackageImportJob provider.
    const key = await fx().uploadManifest("manifests/sample-code.json");
    const job = await importJob.create({
      __provider: PROVIDER,
      jobType: "NODE_PACKAGE_VERSION",
      inputConfig: {
        packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key } },
      },
      outputConfig: {
        packageVersionOutputConfig: {
          packageName: "SAMPLE_CODE",
          packageVersion: "1.0",
          markLatest: true,
        },
      },
      clientToken: "application-instance-test",
      waitOptions: FAST,
    });
    assert.strictEqual(job.outs!.status, "SUCCEEDED");
    ref = packageRef({
      packageArn: job.outs!.packageArn,
      packageName: job.outs!.packageName,
      packageVersion: job.outs!.packageVersion,
      patchVersion: job.outs!.patchVersion,
    });
  });

  afterEach(() => {
    fx().emu.control.clearFaults();
    fx().emu.control.setDeviceFault(device, undefined);
    return setTiming({
      deployment: { mode: "timed", durationMs: 300 },
      removal: { mode: "timed", durationMs: 200 },
    });
  });

  /** This resource's instances on the device that are not removed or being removed. */
  const liveOf = async (deploymentKey: string) =>
    (
      await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: device }))
    ).ApplicationInstances!.filter(
      (i) => i.Tags?.[KEY_TAG] === deploymentKey && !/^REMOVAL_/.test(i.Status!),
    );
  const creates = () =>
    fx().emu.control.requestCounts().byOperation["panorama:CreateApplicationInstance"] ?? 0;

  it("deploys the manifest pinned to the imported patch and waits for DEPLOYMENT_SUCCEEDED and RUNNING", async () => {
    const news = inputs({ runtimeRoleArn: `arn:aws:iam::${ACCOUNT}:role/panorama-app` });
    const { value, lines } = await logged(() => impl.create(news));
    const { id, outs } = value;
    assert.match(id, /^applicationInstance-[a-z0-9]+$/);
    assert.strictEqual(outs!.applicationInstanceId, id);
    assert.strictEqual(outs!.status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(outs!.healthStatus, "RUNNING");
    assert.strictEqual(outs!.statusDescription, "Application deployed successfully.");
    assert.deepStrictEqual(outs!.packages, [
      { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: ref.patchVersion },
    ]);
    assert.match(
      outs!.arn,
      new RegExp(`^arn:aws:panorama:us-east-1:${ACCOUNT}:applicationInstance/${id}$`),
    );
    assert.strictEqual(outs!.defaultRuntimeContextDeviceName, "lobby-camera");
    assert.match(outs!.createdTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(outs!.lastUpdatedTime, /Z$/);
    assert.strictEqual(outs!.runtimeContextStates[0].deviceReportedStatus, "RUNNING");
    assert.match(outs!.runtimeContextStates[0].deviceReportedTime, /Z$/);
    assert.deepStrictEqual(
      outs!.tags,
      { team: "vision" },
      "the deploymentKey tag stays out of tags",
    );
    for (const key of [
      "name",
      "description",
      "manifestPayload",
      "defaultRuntimeContextDevice",
      "runtimeRoleArn",
      "deploymentKey",
      "waitOptions",
      "__provider",
    ])
      assert.deepStrictEqual(outs![key], news[key], key);
    assert.strictEqual(outs!.region, "us-east-1");
    assert.ok(!("applicationInstanceIdToReplace" in outs!), "a first deployment replaces nothing");

    const described = await describeInstance(id);
    assert.strictEqual(described.Status, "DEPLOYMENT_SUCCEEDED");
    assert.deepStrictEqual(described.Tags, { team: "vision", [KEY_TAG]: news.deploymentKey });
    assert.ok(
      lines.some((l) => l.includes(`deploying ${id} to device ${device}`)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes(id) && /DEPLOYMENT_(PENDING|IN_PROGRESS)/.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes(`${id} DEPLOYMENT_SUCCEEDED (health RUNNING)`)),
      lines.join("\n"),
    );
  });

  it("records a deployment of an unregistered patch as failed, with the service's StatusDescription", async () => {
    const news = inputs({ manifestPayload: manifestFor({ ...ref, patchVersion: "b".repeat(64) }) });
    const e = await recorded(impl.create(news));
    const described = await describeInstance(e.id);
    assert.strictEqual(described.Status, "DEPLOYMENT_FAILED");
    assert.match(described.StatusDescription!, /patch b{64} is not registered/);
    assert.strictEqual(e.properties.applicationInstanceId, e.id);
    assert.strictEqual(e.properties.status, "DEPLOYMENT_FAILED");
    assert.strictEqual(e.properties.statusDescription, described.StatusDescription);
    assert.strictEqual(
      e.properties.__provider,
      PROVIDER,
      "refresh and destroy load the provider from these outputs",
    );
    const reason = e.reasons[0];
    for (const part of [
      e.id,
      "DEPLOYMENT_FAILED",
      described.StatusDescription!,
      "lobby-camera",
      "run\n`pulumi up` again".replace("\n", " "),
    ])
      assert.ok(reason.includes(part), `${part} not in: ${reason}`);
    // The next `pulumi up` deploys a new instance instead of waiting on this one.
    assert.deepStrictEqual((await impl.diff(e.id, e.properties, news)).replaces, ["status"]);
  });

  it("replaces the instance on the device when the manifest changes, and the old one's delete finds it removed", async () => {
    const first = inputs();
    const old = await impl.create(first);
    const changed = { ...first, manifestPayload: manifestFor(ref, "second revision") };
    assert.deepStrictEqual((await impl.diff(old.id, old.outs!, changed)).replaces, [
      "manifestPayload",
    ]);

    // What the engine does for a replacement: create the new one, then delete the old one.
    const { value: replacement, lines } = await logged(() => impl.create(changed));
    assert.notStrictEqual(replacement.id, old.id);
    assert.strictEqual(replacement.outs!.status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(replacement.outs!.applicationInstanceIdToReplace, old.id);
    assert.strictEqual(
      (await describeInstance(replacement.id)).ApplicationInstanceIdToReplace,
      old.id,
    );
    assert.ok(
      lines.some((l) => l.includes(`replacing ${old.id}`)),
      lines.join("\n"),
    );
    assert.strictEqual(
      (await describeInstance(old.id)).Status,
      "REMOVAL_SUCCEEDED",
      "the service took the old one off the device",
    );

    const { lines: deleteLines } = await logged(() => impl.delete(old.id, old.outs!));
    assert.ok(
      deleteLines.some((l) => l.includes(`${old.id} was already removed`)),
      deleteLines.join("\n"),
    );
    assert.strictEqual((await describeInstance(old.id)).Status, "REMOVAL_SUCCEEDED");
    assert.strictEqual(
      (await describeInstance(replacement.id)).Status,
      "DEPLOYMENT_SUCCEEDED",
      "the new one keeps running",
    );
  });

  it("replaces this resource's instance only: other resources and other devices are left alone", async () => {
    const neighbour = await impl.create(inputs());
    const mine = inputs();
    const old = await impl.create(mine);
    // Moving to another device cannot replace in place: the old instance is removed by its delete.
    const moved = await impl.create({ ...mine, defaultRuntimeContextDevice: otherDevice });
    assert.ok(!("applicationInstanceIdToReplace" in moved.outs!));
    assert.strictEqual((await describeInstance(old.id)).Status, "DEPLOYMENT_SUCCEEDED");
    await impl.delete(old.id, old.outs!);
    assert.strictEqual((await describeInstance(old.id)).Status, "REMOVAL_SUCCEEDED");
    assert.strictEqual((await describeInstance(neighbour.id)).Status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(moved.outs!.defaultRuntimeContextDeviceName, "dock-camera");
  });

  it("adopts an instance deployed outside the stack by adoptApplicationInstanceId, tagging it with the deploymentKey", async () => {
    const { ApplicationInstanceId: cli } = await fx().panorama.send(
      new CreateApplicationInstanceCommand({
        ManifestPayload: { PayloadData: manifestFor(ref) },
        DefaultRuntimeContextDevice: device,
        Tags: { console: "yes" },
      }),
    );
    const news = {
      __provider: PROVIDER,
      adoptApplicationInstanceId: cli,
      deploymentKey: `pulumi-key-adopt`,
      tags: { team: "vision" },
      region: "us-east-1",
      waitOptions: FAST,
    };
    assert.deepStrictEqual(
      impl.checkFailures(news),
      [],
      "the creation settings come from the instance",
    );
    const { id, outs } = await impl.create(news);
    assert.strictEqual(id, cli);
    assert.strictEqual(outs!.status, "DEPLOYMENT_SUCCEEDED");
    assert.deepStrictEqual(outs!.tags, { team: "vision" }, "only the program's tags are stored");
    const onService = (
      await fx().panorama.send(new ListTagsForResourceCommand({ ResourceArn: outs!.arn }))
    ).Tags;
    assert.deepStrictEqual(onService, {
      console: "yes",
      team: "vision",
      [KEY_TAG]: "pulumi-key-adopt",
    });
    assert.deepStrictEqual((await impl.diff(id, outs!, news)).changes, false);
    await impl.delete(id, outs!);
    assert.strictEqual((await describeInstance(cli!)).Status, "REMOVAL_SUCCEEDED");
    await assert.rejects(
      impl.create(news),
      /adoptApplicationInstanceId: application instance .* is REMOVAL_SUCCEEDED; only a deployed instance can be adopted/,
    );
  });

  it("replaces an instance deployed outside the stack when applicationInstanceIdToReplace names it", async () => {
    const { ApplicationInstanceId: cli } = await fx().panorama.send(
      new CreateApplicationInstanceCommand({
        ManifestPayload: { PayloadData: manifestFor(ref) },
        DefaultRuntimeContextDevice: device,
      }),
    );
    const news = inputs({ applicationInstanceIdToReplace: cli });
    const { outs } = await impl.create(news);
    assert.strictEqual(outs!.applicationInstanceIdToReplace, cli);
    assert.strictEqual((await describeInstance(cli!)).Status, "REMOVAL_SUCCEEDED");
    // Once it is gone, a later replacement of this resource replaces its own instance instead.
    const again = await impl.create({ ...news, description: "changed" });
    assert.strictEqual(again.outs!.applicationInstanceIdToReplace, outs!.applicationInstanceId);
  });

  it("removes the instance, waits for REMOVAL_SUCCEEDED, and a second delete is fine", async () => {
    const { id, outs } = await impl.create(inputs());
    await setTiming({ removal: { mode: "timed", durationMs: 600 } });
    const started = Date.now();
    const { lines } = await logged(() => impl.delete(id, outs!));
    assert.ok(Date.now() - started >= 500, "delete waited for the removal");
    assert.strictEqual((await describeInstance(id)).Status, "REMOVAL_SUCCEEDED");
    assert.ok(
      lines.some((l) => l.includes(`${id} removed (REMOVAL_SUCCEEDED)`)),
      lines.join("\n"),
    );
    await impl.delete(id, outs!);
    assert.deepStrictEqual(await impl.read(id, outs!), {}, "refresh drops a removed instance");
  });

  it("fails a delete whose removal ends REMOVAL_FAILED, naming the status and the service's description", async () => {
    const { id, outs } = await impl.create(inputs());
    await setTiming({ removal: { mode: "manual" } });
    const removing = impl.delete(id, outs!);
    await new Promise((r) => setTimeout(r, 300));
    await emulatorControl(fx().emu, "POST", `application-instances/${id}/fail`, {
      message: "Device did not acknowledge the removal.",
    });
    await assert.rejects(removing, (e: Error) => {
      for (const part of [
        id,
        "REMOVAL_FAILED",
        "Device did not acknowledge the removal.",
        "pulumi destroy",
      ])
        assert.ok(e.message.includes(part), e.message);
      return true;
    });
  });

  it("refresh reflects status, health and description, and reports removed or unknown instances as gone", async () => {
    const { id, outs } = await impl.create(inputs());
    await emulatorControl(fx().emu, "POST", `application-instances/${id}/status`, {
      status: "DEPLOYMENT_SUCCEEDED",
      healthStatus: "ERROR",
      statusDescription: "Node code_node exited with status 1.",
    });
    const refreshed = await impl.read(id, outs!);
    assert.strictEqual(refreshed.id, id);
    assert.strictEqual(refreshed.props!.healthStatus, "ERROR");
    assert.strictEqual(refreshed.props!.statusDescription, "Node code_node exited with status 1.");
    assert.deepStrictEqual(refreshed.props!.packages, outs!.packages);
    assert.deepStrictEqual(
      refreshed.props!.manifestPayload,
      outs!.manifestPayload,
      "inputs are kept",
    );

    await emulatorControl(fx().emu, "POST", `application-instances/${id}/status`, {
      status: "REMOVAL_SUCCEEDED",
    });
    assert.deepStrictEqual(await impl.read(id, outs!), {});
    assert.deepStrictEqual(await impl.read("applicationInstance-doesnotexist", outs!), {});
  });

  it("updates tags in place and keeps the deploymentKey tag on the instance", async () => {
    const news = inputs({ tags: { keep: "1", drop: "2" } });
    const { id, outs } = await impl.create(news);
    const changed = { ...news, tags: { keep: "1", add: "3" } };
    const d = await impl.diff(id, outs!, changed);
    assert.deepStrictEqual([d.changes, d.replaces], [true, []]);
    const updated = await impl.update(id, outs!, changed);
    assert.deepStrictEqual(updated.outs!.tags, { keep: "1", add: "3" });
    assert.strictEqual(updated.outs!.status, "DEPLOYMENT_SUCCEEDED");
    const onService = (
      await fx().panorama.send(new ListTagsForResourceCommand({ ResourceArn: outs!.arn }))
    ).Tags;
    assert.deepStrictEqual(onService, { keep: "1", add: "3", [KEY_TAG]: news.deploymentKey });
  });

  it("updates waitOptions without calling the API", async () => {
    const news = inputs();
    const { id, outs } = await impl.create(news);
    const before = fx().emu.control.requestCounts();
    const updated = await impl.update(id, outs!, {
      ...news,
      waitOptions: { timeoutSeconds: 99 },
      __provider: "new code",
    });
    assert.deepStrictEqual(fx().emu.control.requestCounts(), before);
    assert.deepStrictEqual(updated.outs!.waitOptions, { timeoutSeconds: 99 });
    assert.strictEqual(updated.outs!.__provider, "new code");
    assert.deepStrictEqual(updated.outs!.packages, outs!.packages);
  });

  it("records a deployment still in progress at the timeout, and the next update resumes waiting on it", async () => {
    await setTiming({ deployment: { mode: "manual" } });
    const news = inputs({ waitOptions: { ...FAST, timeoutSeconds: 0.5 } });
    const e = await recorded(impl.create(news));
    assert.match(e.properties.status as string, /^DEPLOYMENT_(PENDING|IN_PROGRESS)$/);
    assert.strictEqual(e.properties.healthStatus, "NOT_AVAILABLE");
    for (const part of [
      e.id,
      "still",
      "after 0.5s",
      "resume waiting on the same application instance",
    ])
      assert.ok(e.reasons[0].includes(part), e.reasons[0]);

    const resumed = { ...news, waitOptions: FAST };
    const d = await impl.diff(e.id, e.properties, resumed);
    assert.deepStrictEqual([d.changes, d.replaces], [true, []], "an update, not a replacement");
    setTimeout(
      () => void emulatorControl(fx().emu, "POST", `application-instances/${e.id}/complete`),
      400,
    );
    const { outs } = await impl.update(e.id, e.properties, resumed);
    assert.strictEqual(outs!.status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(outs!.healthStatus, "RUNNING");
    assert.deepStrictEqual(outs!.packages, [
      { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: ref.patchVersion },
    ]);
  });

  it("an instance that deploys but runs unhealthy fails after the grace, naming the device; once healthy, the next update finishes", async () => {
    fx().emu.control.setDeviceFault(device, { health: "ERROR", message: "Model failed to load." });
    await setTiming({ deployment: { mode: "immediate" } });
    const clock = steppingClock();
    const stepping = applicationInstanceProvider({ clock });
    const news = inputs({ waitOptions: { minDelaySeconds: 1, maxDelaySeconds: 5 } });
    const { value: failing, lines } = await logged(() => recorded(stepping.create(news)));
    const e = await failing;
    assert.ok(
      clock.t <= (UNHEALTHY_GRACE_SECONDS + 10) * 1000,
      `failed after ${clock.t} ms, within the grace, not the 1800 s timeout`,
    );
    assert.deepStrictEqual(
      [e.properties.status, e.properties.healthStatus],
      ["DEPLOYMENT_SUCCEEDED", "ERROR"],
    );
    for (const part of [
      e.id,
      `on device lobby-camera (${device})`,
      "DEPLOYMENT_SUCCEEDED with health ERROR",
      `for ${UNHEALTHY_GRACE_SECONDS}s`,
      "Model failed to load.",
      "run `pulumi up` again",
    ])
      assert.ok(e.reasons[0].includes(part), `${part} in: ${e.reasons[0]}`);
    assert.ok(
      lines.some((l) =>
        l.startsWith(`ApplicationInstance ${news.name} on device lobby-camera (${device}): `),
      ),
      lines.join("\n"),
    );

    fx().emu.control.setDeviceFault(device, undefined);
    const d = await impl.diff(e.id, e.properties, news);
    assert.deepStrictEqual([d.changes, d.replaces], [true, []], "checked again, not replaced");
    const { outs } = await stepping.update(e.id, e.properties, news);
    assert.deepStrictEqual([outs!.status, outs!.healthStatus], ["DEPLOYMENT_SUCCEEDED", "RUNNING"]);
    assert.strictEqual(outs!.applicationInstanceId, e.id, "the same instance");
  });

  it("a replacement after a timeout takes over the deployment still in progress", async () => {
    await setTiming({ deployment: { mode: "manual" } });
    const news = inputs({ waitOptions: { ...FAST, timeoutSeconds: 0.3 } });
    const stuck = await recorded(impl.create(news));
    await setTiming({ deployment: { mode: "timed", durationMs: 300 } });
    const { outs } = await impl.create({
      ...news,
      manifestPayload: manifestFor(ref, "fixed"),
      waitOptions: FAST,
    });
    assert.strictEqual(outs!.applicationInstanceIdToReplace, stuck.id);
    const live = (
      await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: device }))
    ).ApplicationInstances!.filter(
      (i) => i.Tags?.[KEY_TAG] === news.deploymentKey && i.Status !== "REMOVAL_SUCCEEDED",
    );
    assert.deepStrictEqual(
      live.map((i) => i.ApplicationInstanceId),
      [outs!.applicationInstanceId],
      "the device runs exactly one instance of this resource",
    );
  });

  describe("when CreateApplicationInstance gets no answer (the API has no ClientToken)", () => {
    it("a lost answer: the instance it deployed is found by its deploymentKey tag, not deployed twice", async () => {
      const news = inputs();
      const before = creates();
      const [rule] = [
        fx().emu.control.addFault({
          operation: "CreateApplicationInstance",
          action: "applyAndDrop",
          count: 1,
        }),
      ];
      const { value, lines } = await logged(() => impl.create(news));
      const { id, outs } = value;
      assert.strictEqual(
        fx()
          .emu.control.faults()
          .find((r) => r.id === rule.id)!.hits,
        1,
      );
      assert.strictEqual(creates() - before, 1, "the Create was not sent again");
      assert.deepStrictEqual(
        (await liveOf(news.deploymentKey)).map((i) => i.ApplicationInstanceId),
        [id],
        "exactly one instance on the device",
      );
      assert.strictEqual(outs!.applicationInstanceId, id);
      assert.strictEqual(outs!.status, "DEPLOYMENT_SUCCEEDED");
      assert.strictEqual(outs!.healthStatus, "RUNNING");
      assert.strictEqual(outs!.arn, (await describeInstance(id)).Arn);
      assert.ok(
        lines.some((l) => l.includes(`found ${id} on device ${device} by its deploymentKey tag`)),
        lines.join("\n"),
      );
    });

    it("a lost answer to a replacement: the new instance is adopted, never the one it replaces", async () => {
      const first = inputs();
      const { id: oldId } = await impl.create(first);
      fx().emu.control.addFault({
        operation: "CreateApplicationInstance",
        action: "applyAndDrop",
        count: 1,
      });
      const before = creates();
      const { id, outs } = await impl.create({
        ...first,
        manifestPayload: manifestFor(ref, "changed"),
      });
      assert.notStrictEqual(id, oldId);
      assert.strictEqual(creates() - before, 1);
      assert.strictEqual(outs!.applicationInstanceIdToReplace, oldId);
      assert.strictEqual(outs!.status, "DEPLOYMENT_SUCCEEDED");
      assert.deepStrictEqual(
        (await liveOf(first.deploymentKey)).map((i) => i.ApplicationInstanceId),
        [id],
      );
    });

    it("a 500 that deployed nothing: the Create is sent again, one instance", async () => {
      const news = inputs();
      const before = creates();
      fx().emu.control.addFault({
        operation: "CreateApplicationInstance",
        error: "InternalServerException",
        count: 1,
      });
      const { value, lines } = await logged(() => impl.create(news));
      assert.strictEqual(creates() - before, 2);
      assert.deepStrictEqual(
        (await liveOf(news.deploymentKey)).map((i) => i.ApplicationInstanceId),
        [value.id],
      );
      assert.strictEqual(value.outs!.status, "DEPLOYMENT_SUCCEEDED");
      assert.ok(
        lines.some((l) =>
          /CreateApplicationInstance on device .* failed \(InternalServerException \(HTTP 500\).*deployed nothing; sending it again/.test(
            l,
          ),
        ),
        lines.join("\n"),
      );
    });

    it("a 4xx refusal is not repeated: the error says nothing was deployed", async () => {
      const news = inputs();
      const before = creates();
      fx().emu.control.addFault({
        operation: "CreateApplicationInstance",
        error: "ValidationException",
        message: "Refused by a test.",
        count: 1,
      });
      await assert.rejects(impl.create(news), (e: Error) => {
        assert.match(
          e.message,
          /CreateApplicationInstance on device .* failed: ValidationException \(HTTP 400\): Refused by a test\. Nothing was deployed/,
        );
        return true;
      });
      assert.strictEqual(creates() - before, 1);
      assert.deepStrictEqual(await liveOf(news.deploymentKey), []);
    });

    it("every answer lost until the timeout: the error says a late instance is replaced, not duplicated", async () => {
      const news = inputs({ waitOptions: { ...FAST, timeoutSeconds: 2 } });
      fx().emu.control.addFault({ operation: "CreateApplicationInstance", action: "drop" });
      await assert.rejects(impl.create(news), (e: Error) => {
        assert.match(
          e.message,
          /CreateApplicationInstance on device .* failed for 2s \(waitOptions\.timeoutSeconds, at most 60s\): .*socket hang up/,
        );
        assert.match(
          e.message,
          /No instance of this resource appeared on the device\. If one was deployed after all, the next `pulumi up` replaces it/,
        );
        return true;
      });
      assert.deepStrictEqual(await liveOf(news.deploymentKey), []);
    });
  });
});
