// The lifecycle matrix's PackageVersion entry (see matrix.ts): a patch registered into a Package
// from a manifest uploaded where panorama-cli puts it. In its own file because it needs the
// PackageVersion resource (inputs packageId, packageVersion, patchVersion, markLatest; outputs
// status, isLatestPatch, registeredTime, packageArn); the other entries run without it.
import * as assert from "assert";
import { createHash } from "crypto";
import {
  DeregisterPackageVersionCommand,
  DescribePackageVersionCommand,
  RegisterPackageVersionCommand,
} from "@aws-sdk/client-panorama";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { PackageVersion } from "pulumi-panorama";
import { SAMPLE_MANIFEST } from "../support/emulatorFixture";
import { describeLifecycle, LifecycleEntry, Resource, World } from "./matrix";

const OWNER = "owner-Secret-91e0b6aa";
const PACKAGE_NAME = "SAMPLE_CODE";
/** Patches as panorama-cli names them: the hash of what it uploads. */
const patch = (n: number) => createHash("sha256").update(`lifecycle patch ${n}`).digest("hex");
const [FIRST, SECOND, OUT_OF_BAND] = [patch(1), patch(2), patch(3)];

/** The program: a package and one registered patch of it, with a secret tag on the package. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { Package, PackageVersion } from "pulumi-panorama";
const config = new pulumi.Config();
const wait = { minDelaySeconds: 0.05, maxDelaySeconds: 0.3, timeoutSeconds: config.getNumber("timeoutSeconds") ?? 60 };
const pkg = new Package("package", { packageName: "${PACKAGE_NAME}", tags: { owner: config.requireSecret("owner") }, forceDelete: true, waitOptions: wait });
const version = new PackageVersion("version", {
  packageId: pkg.packageId,
  packageVersion: "1.0",
  patchVersion: config.require("patchVersion"),
  markLatest: true,
  waitOptions: wait,
});
export const status = version.status;
`;

// The program above is compiled by the CLI; this keeps the type's use checked here too.
export type Checked = Pick<
  PackageVersion,
  "status" | "isLatestPatch" | "registeredTime" | "packageArn"
>;

/** Uploads a patch's package.json where RegisterPackageVersion reads it (the package's storage location). */
async function uploadPatch(w: World, patchVersion: string): Promise<void> {
  const key = `${w.emu.accountId}/nodePackages/${PACKAGE_NAME}/manifests/1.0/${patchVersion}.json`;
  await w.s3.send(
    new PutObjectCommand({
      Bucket: w.emu.storageBucket,
      Key: key,
      Body: SAMPLE_MANIFEST,
      ContentType: "application/json",
    }),
  );
}

const patchInput = (r: Resource, patchVersion = r.outputs.patchVersion) => ({
  PackageId: r.outputs.packageId,
  PackageVersion: r.outputs.packageVersion,
  PatchVersion: patchVersion,
});
const describeVersion = (w: World, r: Resource, patchVersion?: string) =>
  w.panorama.send(new DescribePackageVersionCommand(patchInput(r, patchVersion)));
const registered = (r: Resource) =>
  assert.deepStrictEqual([r.outputs.status, r.outputs.isLatestPatch], ["REGISTER_COMPLETED", true]);

const PACKAGE_VERSION: LifecycleEntry = {
  kind: "PackageVersion",
  program: PROGRAM,
  config: { patchVersion: FIRST, owner: { value: OWNER, secret: true } },
  prepare: async (w) => {
    for (const p of [FIRST, SECOND, OUT_OF_BAND]) await uploadPatch(w, p);
  },
  secrets: { "the secret owner tag": OWNER },
  jobsPerCreate: 0,
  created: (_w, version) => {
    registered(version);
    assert.match(version.outputs.packageArn, /^arn:aws:panorama:us-east-1:\d{12}:package\//);
  },
  update: {
    config: { timeoutSeconds: "90" },
    expect: (_w, before, now) =>
      assert.strictEqual(now.outputs.registeredTime, before.outputs.registeredTime),
  },
  replace: {
    config: { patchVersion: SECOND },
    expect: async (w, before, now) => {
      registered(now);
      await assert.rejects(
        describeVersion(w, before),
        (e: Error) => e.name === "ResourceNotFoundException",
        "the old patch is deregistered",
      );
    },
  },
  outOfBand: {
    deleted: {
      what: "the patch deregistered (DeregisterPackageVersion)",
      mutate: async (w, version) =>
        void (await w.panorama.send(new DeregisterPackageVersionCommand(patchInput(version)))),
      afterRefresh: (_w, _before, refreshed) =>
        assert.strictEqual(refreshed, undefined, "refresh drops the deregistered patch"),
      afterUp: (_w, before, now) => {
        assert.strictEqual(
          now.outputs.patchVersion,
          before.outputs.patchVersion,
          "up registers it again",
        );
        registered(now);
      },
    },
    statusChanged: {
      what: "another patch registered and marked latest",
      mutate: async (w, version) =>
        void (await w.panorama.send(
          new RegisterPackageVersionCommand({
            ...patchInput(version, OUT_OF_BAND),
            MarkLatest: true,
          }),
        )),
      afterRefresh: (_w, _before, refreshed) =>
        assert.strictEqual(
          refreshed?.outputs.isLatestPatch,
          false,
          "refresh records that it is no longer the latest",
        ),
      // The other patch is not the stack's: it is counted out once it is gone again.
      patchesAgreeAfterRefresh: false,
      restore: async (w, version) =>
        void (await w.panorama.send(
          new DeregisterPackageVersionCommand(patchInput(version, OUT_OF_BAND)),
        )),
    },
    tagsChanged: { notApplicable: "a package version has no tags" },
    patchDeregistered: {
      notApplicable: "a PackageVersion is its patch: deregistering it is the deleted cell",
    },
  },
  destroyed: async (w, last) =>
    assert.rejects(describeVersion(w, last), (e: Error) => e.name === "ResourceNotFoundException"),
  recreated: (_w, _last, now) => registered(now),
  kill: { hold: "packageVersion", operation: "RegisterPackageVersion" },
};

describeLifecycle(PACKAGE_VERSION);
