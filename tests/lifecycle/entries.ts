// The lifecycle matrix's table for Package, PackageImportJob and ApplicationInstance: one entry per
// resource (its program, the option and parameter it changes, what is done to it out of band and
// what the stack must show afterwards). PackageVersion's entry is in packageVersion.lifecycle.test.ts.
import * as assert from "assert";
import {
  DeletePackageCommand,
  DeregisterPackageVersionCommand,
  DescribeApplicationInstanceCommand,
  DescribePackageCommand,
  ListDevicesCommand,
  RemoveApplicationInstanceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-panorama";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { PACKAGE_KEY_TAG } from "pulumi-panorama";
import { MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";
import { LifecycleEntry, OutOfBandChange, Resource, World } from "./matrix";

const OWNER = "owner-Secret-5a1d9e07";
const TICKET = "ticket-Secret-c3b77f20";
/** Every program waits briefly: the emulator's transitions are immediate unless a cell holds one. */
const WAIT =
  "{ minDelaySeconds: 0.05, maxDelaySeconds: 0.3, timeoutSeconds: config.getNumber('timeoutSeconds') ?? 60 }";
const MANIFEST_V1 = "lifecycle/v1/package.json";
const MANIFEST_V2 = "lifecycle/v2/package.json";
const FOREIGN_TAG = "added-in-console";

const uploadManifests = async (w: World) => {
  for (const [key, body] of [
    [MANIFEST_V1, SAMPLE_MANIFEST],
    [MANIFEST_V2, SAMPLE_MANIFEST.replace("Quickstart", "Lifecycle v2")],
  ])
    await w.s3.send(
      new PutObjectCommand({
        Bucket: MANIFEST_BUCKET,
        Key: key,
        Body: body,
        ContentType: "application/json",
      }),
    );
};

const packageTags = async (w: World, packageId: string) =>
  (await w.panorama.send(new DescribePackageCommand({ PackageId: packageId }))).Tags ?? {};
const instanceOf = (w: World, id: string) =>
  w.panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
const notFound = (e: Error) => e.name === "ResourceNotFoundException";

/**
 * A declared tag's value changed and a tag added, both in the console: refresh records the
 * declared key's new value and not the added key; the next up puts the value back and leaves the
 * added tag alone (a resource manages only the tags it declares).
 */
const tagsChangedInConsole = (
  tagsNow: (w: World, r: Resource) => Promise<Record<string, string>>,
): OutOfBandChange => ({
  what: "a declared tag's value changed and another tag added in the console",
  mutate: async (w, r) => {
    await w.panorama.send(
      new TagResourceCommand({
        ResourceArn: r.outputs.arn,
        Tags: { stage: "drifted", [FOREIGN_TAG]: "yes" },
      }),
    );
  },
  afterRefresh: (_w, _before, refreshed) => {
    assert.strictEqual(
      refreshed?.outputs.tags.stage,
      "drifted",
      "refresh records the declared tag's value",
    );
    assert.ok(
      !(FOREIGN_TAG in refreshed!.outputs.tags),
      "refresh does not take over a tag the program does not declare",
    );
  },
  afterUp: async (w, _before, now) => {
    const tags = await tagsNow(w, now);
    assert.strictEqual(tags.stage, "two", "up puts the declared value back");
    assert.strictEqual(tags[FOREIGN_TAG], "yes", "up leaves a tag it does not declare alone");
  },
});

export const PACKAGE: LifecycleEntry = {
  kind: "Package",
  program: `
import * as pulumi from "@pulumi/pulumi";
import { Package } from "pulumi-panorama";
const config = new pulumi.Config();
const pkg = new Package("package", {
  packageName: config.require("packageName"),
  tags: { stage: config.require("stage"), owner: config.requireSecret("owner") },
  forceDelete: true,
  waitOptions: ${WAIT},
});
export const packageId = pkg.packageId;
`,
  config: { packageName: "LIFECYCLE_PACKAGE", stage: "one", owner: { value: OWNER, secret: true } },
  secrets: { "the secret owner tag": OWNER },
  jobsPerCreate: 0,
  // The program's tags plus the resource's marker, by which a killed up's package is found again.
  created: async (w, pkg) =>
    assert.deepStrictEqual(await packageTags(w, pkg.id), {
      stage: "one",
      owner: OWNER,
      [PACKAGE_KEY_TAG]: pkg.outputs.packageKey,
    }),
  update: {
    config: { stage: "two" },
    expect: async (w, _before, pkg) =>
      assert.deepStrictEqual(await packageTags(w, pkg.id), {
        stage: "two",
        owner: OWNER,
        [PACKAGE_KEY_TAG]: pkg.outputs.packageKey,
      }),
  },
  replace: {
    config: { packageName: "LIFECYCLE_PACKAGE_RENAMED" },
    expect: async (w, before, pkg) => {
      assert.strictEqual(pkg.outputs.packageName, "LIFECYCLE_PACKAGE_RENAMED");
      await assert.rejects(packageTags(w, before.id), notFound, "the old package is deleted");
    },
  },
  outOfBand: {
    deleted: {
      what: "the package deleted (DeletePackage ForceDelete)",
      mutate: async (w, pkg) =>
        void (await w.panorama.send(
          new DeletePackageCommand({ PackageId: pkg.id, ForceDelete: true }),
        )),
      afterRefresh: (_w, _before, refreshed) =>
        assert.strictEqual(refreshed, undefined, "refresh drops the deleted package"),
      afterUp: (_w, before, now) => assert.notStrictEqual(now.id, before.id, "up creates it again"),
    },
    statusChanged: { notApplicable: "a package has no status: DescribePackage reports none" },
    tagsChanged: tagsChangedInConsole((w, pkg) => packageTags(w, pkg.id)),
    patchDeregistered: {
      notApplicable:
        "a package's versions are not among its outputs; PackageImportJob and PackageVersion cover patches",
    },
  },
  destroyed: async (w, last) => assert.rejects(packageTags(w, last.id), notFound),
  recreated: (_w, last, now) => assert.notStrictEqual(now.id, last.id),
  // Creating a package has no wait: the kill lands while CreatePackage is in flight.
  kill: { slow: "CreatePackage", latencyMs: 2500 },
};

/** Import jobs are history: a job the stack holds now is never one of the jobs seen before. */
const aNewJob = (job: Resource, jobsBefore: string[]) => {
  assert.ok(
    !jobsBefore.includes(job.id),
    `job ${job.id} was started before; a new job (the next client token) was expected`,
  );
  assert.strictEqual(job.outputs.status, "SUCCEEDED");
};

const deregisterJobPatch = async (w: World, job: Resource) => {
  const { packageId, packageVersion, patchVersion } = job.outputs;
  await w.panorama.send(
    new DeregisterPackageVersionCommand({
      PackageId: packageId,
      PackageVersion: packageVersion,
      PatchVersion: patchVersion,
    }),
  );
};

export const PACKAGE_IMPORT_JOB: LifecycleEntry = {
  kind: "PackageImportJob",
  // The job tags the package that a Package resource of the same stack manages, with a secret.
  program: `
import * as pulumi from "@pulumi/pulumi";
import { Package, PackageImportJob } from "pulumi-panorama";
const config = new pulumi.Config();
const pkg = new Package("package", { packageName: "SAMPLE_CODE", forceDelete: true, waitOptions: ${WAIT} });
const job = new PackageImportJob("job", {
  inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: "${MANIFEST_BUCKET}", objectKey: config.require("manifestKey") } } },
  outputConfig: { packageVersionOutputConfig: { packageName: pkg.packageName, packageVersion: "1.0", markLatest: true } },
  jobTags: [{ resourceType: "PACKAGE", tags: { ticket: config.requireSecret("ticket") } }],
  deregisterOnDelete: true,
  waitOptions: ${WAIT},
});
export const jobId = job.jobId;
`,
  config: { manifestKey: MANIFEST_V1, ticket: { value: TICKET, secret: true } },
  prepare: uploadManifests,
  secrets: { "the secret jobTags value": TICKET },
  secretClientTokens: true,
  jobsPerCreate: 1,
  created: async (w, job) => {
    assert.strictEqual(job.outputs.status, "SUCCEEDED");
    assert.strictEqual(
      (await packageTags(w, job.outputs.packageId)).ticket,
      TICKET,
      "the job tagged the package",
    );
  },
  update: {
    config: { timeoutSeconds: "90" },
    expect: (_w, before, job) => {
      assert.strictEqual(job.outputs.waitOptions.timeoutSeconds, 90);
      assert.strictEqual(job.outputs.patchVersion, before.outputs.patchVersion);
    },
  },
  replace: {
    config: { manifestKey: MANIFEST_V2 },
    expect: (_w, before, job) =>
      assert.notStrictEqual(
        job.outputs.patchVersion,
        before.outputs.patchVersion,
        "a new manifest, a new patch",
      ),
  },
  outOfBand: {
    deleted: {
      notApplicable:
        "an import job cannot be deleted (the API has no call for it); its patch can: patchDeregistered",
    },
    statusChanged: {
      what: "the job reported FAILED for a while",
      mutate: (w, job) =>
        w.control(`import-jobs/${job.id}/status`, {
          status: "FAILED",
          statusMessage: "Reported failed out of band.",
        }),
      afterRefresh: (_w, _before, job) => {
        assert.strictEqual(job?.outputs.status, "FAILED", "refresh records the status");
        assert.strictEqual(job?.outputs.statusMessage, "Reported failed out of band.");
      },
      restore: (w, job) =>
        w.control(`import-jobs/${job.id}/status`, { status: "SUCCEEDED", statusMessage: "" }),
      afterUp: (_w, before, job) =>
        assert.deepStrictEqual([job.id, job.outputs.status], [before.id, "SUCCEEDED"]),
    },
    tagsChanged: {
      notApplicable:
        "an import job has no tags of its own; its jobTags go to the package, and every check of this entry asserts the Package neither records nor removes them",
    },
    patchDeregistered: {
      what: "the patch the job imported deregistered",
      mutate: deregisterJobPatch,
      afterRefresh: () => undefined,
      patchesAgreeAfterRefresh: false,
      afterUp: (_w, _before, job, jobsBefore) => aNewJob(job, jobsBefore),
    },
  },
  recreated: (_w, _last, job, jobsBefore) => aNewJob(job, jobsBefore),
  kill: { hold: "importJob", operation: "CreatePackageImportJob" },
};

export const APPLICATION_INSTANCE: LifecycleEntry = {
  kind: "ApplicationInstance",
  program: `
import * as pulumi from "@pulumi/pulumi";
import { ApplicationInstance, applicationManifestOutput, Package, PackageImportJob, packageRefOutput } from "pulumi-panorama";
const config = new pulumi.Config();
const pkg = new Package("package", { packageName: "SAMPLE_CODE", forceDelete: true, waitOptions: ${WAIT} });
const job = new PackageImportJob("job", {
  inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: "${MANIFEST_BUCKET}", objectKey: "${MANIFEST_V1}" } } },
  outputConfig: { packageVersionOutputConfig: { packageName: pkg.packageName, packageVersion: "1.0", markLatest: true } },
  deregisterOnDelete: true,
  waitOptions: ${WAIT},
});
const ref = packageRefOutput({ packageArn: pkg.arn, packageName: job.packageName, packageVersion: job.packageVersion, patchVersion: job.patchVersion });
const app = new ApplicationInstance("app", {
  name: "lifecycle-app",
  defaultRuntimeContextDevice: config.require("device"),
  manifestPayload: applicationManifestOutput({
    description: config.get("graphDescription"),
    packages: [ref],
    nodes: [{ name: "code_node", package: ref, interfaceName: "interface" }],
  }),
  tags: { stage: config.require("stage"), owner: config.requireSecret("owner") },
  waitOptions: ${WAIT},
});
export const applicationInstanceId = app.applicationInstanceId;
`,
  config: { stage: "one", owner: { value: OWNER, secret: true } },
  prepare: async (w) => {
    await uploadManifests(w);
    const device = (await w.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    await w.s.stack.setConfig("device", { value: device });
  },
  secrets: { "the secret owner tag": OWNER },
  jobsPerCreate: 1,
  created: async (w, app) => {
    assert.deepStrictEqual(
      [app.outputs.status, app.outputs.healthStatus],
      ["DEPLOYMENT_SUCCEEDED", "RUNNING"],
    );
    const [job] = await w.resources("PackageImportJob");
    assert.deepStrictEqual(app.outputs.packages, [
      { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: job.outputs.patchVersion },
    ]);
  },
  update: {
    config: { stage: "two" },
    expect: async (w, _before, app) =>
      assert.strictEqual((await instanceOf(w, app.id)).Tags?.stage, "two"),
  },
  replace: {
    config: { graphDescription: "second revision" },
    expect: async (w, before, app) => {
      assert.strictEqual(
        app.outputs.applicationInstanceIdToReplace,
        before.id,
        "the new instance took the old one's place on the device",
      );
      assert.strictEqual((await instanceOf(w, before.id)).Status, "REMOVAL_SUCCEEDED");
    },
  },
  outOfBand: {
    deleted: {
      what: "the instance removed from the device (RemoveApplicationInstance)",
      mutate: async (w, app) =>
        void (await w.panorama.send(
          new RemoveApplicationInstanceCommand({ ApplicationInstanceId: app.id }),
        )),
      afterRefresh: (_w, _before, refreshed) =>
        assert.strictEqual(refreshed, undefined, "refresh drops the removed instance"),
      afterUp: (_w, before, app) => {
        assert.notStrictEqual(app.id, before.id, "up deploys it again");
        assert.strictEqual(app.outputs.status, "DEPLOYMENT_SUCCEEDED");
      },
    },
    statusChanged: {
      what: "the deployment reported DEPLOYMENT_FAILED with health ERROR",
      mutate: (w, app) =>
        w.control(`application-instances/${app.id}/status`, {
          status: "DEPLOYMENT_FAILED",
          healthStatus: "ERROR",
          statusDescription: "Failed out of band.",
        }),
      afterRefresh: (_w, _before, app) =>
        assert.deepStrictEqual(
          [app?.outputs.status, app?.outputs.healthStatus],
          ["DEPLOYMENT_FAILED", "ERROR"],
        ),
      afterUp: async (w, before, app) => {
        assert.notStrictEqual(
          app.id,
          before.id,
          "a failed instance never runs again: up deploys a new one",
        );
        assert.deepStrictEqual(
          [app.outputs.status, app.outputs.healthStatus],
          ["DEPLOYMENT_SUCCEEDED", "RUNNING"],
        );
      },
    },
    tagsChanged: tagsChangedInConsole(async (w, app) => (await instanceOf(w, app.id)).Tags ?? {}),
    patchDeregistered: {
      what: "the patch the instance runs deregistered",
      mutate: async (w) => deregisterJobPatch(w, (await w.resources("PackageImportJob"))[0]),
      afterRefresh: () => undefined,
      patchesAgreeAfterRefresh: false,
      afterUp: async (w, _before, app, jobsBefore) => {
        const [job] = await w.resources("PackageImportJob");
        aNewJob(job, jobsBefore);
        assert.deepStrictEqual(app.outputs.packages, [
          { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: job.outputs.patchVersion },
        ]);
        assert.deepStrictEqual(
          [app.outputs.status, app.outputs.healthStatus],
          ["DEPLOYMENT_SUCCEEDED", "RUNNING"],
        );
      },
    },
  },
  destroyed: async (w, last) =>
    assert.strictEqual((await instanceOf(w, last.id)).Status, "REMOVAL_SUCCEEDED"),
  // The sequence of `npm run demo; npm run demo -- --destroy; npm run demo`.
  recreated: async (w, _last, app, jobsBefore) => {
    aNewJob((await w.resources("PackageImportJob"))[0], jobsBefore);
    assert.deepStrictEqual(
      [app.outputs.status, app.outputs.healthStatus],
      ["DEPLOYMENT_SUCCEEDED", "RUNNING"],
    );
  },
  kill: { hold: "deployment", operation: "CreateApplicationInstance" },
};
