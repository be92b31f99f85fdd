// The lifecycle matrix's CameraNode entry (see matrix.ts): a camera node made by an
// RTSP_CAMERA_STREAM template job, its stream URL and credentials secret config. In its own file
// so it runs beside the other entries.
import * as assert from "assert";
import {
  DeletePackageCommand,
  DeregisterPackageVersionCommand,
  DescribeNodeCommand,
  DescribePackageVersionCommand,
} from "@aws-sdk/client-panorama";
import type { CameraNode } from "pulumi-panorama";
import { describeLifecycle, LifecycleEntry, Resource, World } from "./matrix";

const STREAM_URL = "rtsp://10.0.0.8:554/lifecycle-Secret-6f0c2a91";
const NEW_STREAM_URL = "rtsp://10.0.0.9:554/lifecycle-Secret-b84e17d3";
const USERNAME = "camera-user-Secret-2c9d";
const PASSWORD = "camera-Pa55-Secret-e41a07";

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { CameraNode } from "pulumi-panorama";
const config = new pulumi.Config();
const camera = new CameraNode("camera", {
  outputPackageName: "lifecycle_cam",
  outputPackageVersion: "1.0",
  nodeName: "lifecycle_cam",
  templateParameters: {
    StreamUrl: config.requireSecret("streamUrl"),
    Username: config.requireSecret("username"),
    Password: config.requireSecret("password"),
  },
  waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.3, timeoutSeconds: config.getNumber("timeoutSeconds") ?? 60 },
});
export const nodeInterface = camera.nodeInterface;
`;

// The program above is compiled by the CLI; this keeps the outputs it relies on checked here too.
export type Checked = Pick<CameraNode, "nodeId" | "nodeInterface" | "packageId" | "patchVersion">;

const patchOf = (r: Resource) => ({
  PackageId: r.outputs.packageId,
  PackageVersion: r.outputs.packageVersion,
  PatchVersion: r.outputs.patchVersion,
});
const gone = (e: Error) => e.name === "ResourceNotFoundException";
const describeNode = (w: World, r: Resource) =>
  w.panorama.send(new DescribeNodeCommand({ NodeId: r.outputs.nodeId }));

/** A node made and usable: the job SUCCEEDED and the node is in the catalogue as recorded. */
async function madeNode(w: World, camera: Resource): Promise<void> {
  assert.strictEqual(camera.outputs.status, "SUCCEEDED");
  const node = await describeNode(w, camera);
  assert.strictEqual(node.Category, "MEDIA_SOURCE");
  assert.strictEqual(
    camera.outputs.nodeInterface,
    `${node.OwnerAccount}::lifecycle_cam.lifecycle_cam`,
  );
}

/** Refresh sees the patch gone: the camera stays recorded without a node, and up makes a new one. */
const nodeGone = {
  afterRefresh: (_w: World, before: Resource, refreshed: Resource | undefined) => {
    assert.strictEqual(refreshed?.id, before.id, "the job stays recorded");
    assert.strictEqual(refreshed?.outputs.nodeId, undefined, "refresh drops the node");
  },
  // The job still names its patch: it is counted out once the next up replaced the camera.
  patchesAgreeAfterRefresh: false,
  afterUp: async (w: World, before: Resource, now: Resource, jobsBefore: string[]) => {
    assert.ok(!jobsBefore.includes(now.id), "up starts a new template job");
    assert.notStrictEqual(now.outputs.patchVersion, before.outputs.patchVersion);
    await madeNode(w, now);
  },
};

const CAMERA_NODE: LifecycleEntry = {
  kind: "CameraNode",
  program: PROGRAM,
  config: {
    streamUrl: { value: STREAM_URL, secret: true },
    username: { value: USERNAME, secret: true },
    password: { value: PASSWORD, secret: true },
  },
  secrets: {
    "the stream URL": STREAM_URL,
    "the new stream URL": NEW_STREAM_URL,
    "the camera user name": USERNAME,
    "the camera password": PASSWORD,
  },
  sealedInService: [
    "the stream URL",
    "the new stream URL",
    "the camera user name",
    "the camera password",
  ],
  jobsPerCreate: 1,
  created: madeNode,
  update: {
    config: { timeoutSeconds: "90" },
    expect: (_w, before, now) => {
      assert.strictEqual(now.outputs.waitOptions.timeoutSeconds, 90);
      assert.deepStrictEqual(
        [now.outputs.nodeId, now.outputs.patchVersion],
        [before.outputs.nodeId, before.outputs.patchVersion],
        "the same node",
      );
    },
  },
  replace: {
    config: { streamUrl: { value: NEW_STREAM_URL, secret: true } },
    expect: async (w, before, now) => {
      await madeNode(w, now);
      assert.notStrictEqual(now.outputs.patchVersion, before.outputs.patchVersion);
      await assert.rejects(
        w.panorama.send(new DescribePackageVersionCommand(patchOf(before))),
        gone,
        "the old node's patch is deregistered",
      );
    },
  },
  outOfBand: {
    deleted: {
      what: "the camera's package deleted (DeletePackage ForceDelete), its patch with it",
      mutate: async (w, camera) =>
        void (await w.panorama.send(
          new DeletePackageCommand({ PackageId: camera.outputs.packageId, ForceDelete: true }),
        )),
      ...nodeGone,
    },
    statusChanged: {
      what: "the template job reported FAILED",
      mutate: (w, camera) =>
        w.control(`template-jobs/${camera.id}/status`, {
          status: "FAILED",
          statusMessage: "Reported failed out of band.",
        }),
      afterRefresh: (_w, _before, camera) =>
        assert.deepStrictEqual(
          [camera?.outputs.status, camera?.outputs.statusMessage],
          ["FAILED", "Reported failed out of band."],
          "refresh records the status",
        ),
      // A FAILED job never makes its node again: up replaces the camera, and the old job's patch
      // must go first (the version holds one camera).
      afterUp: async (w, before, camera, jobsBefore) => {
        assert.ok(!jobsBefore.includes(camera.id), "up starts a new template job");
        await madeNode(w, camera);
        await assert.rejects(
          w.panorama.send(new DescribePackageVersionCommand(patchOf(before))),
          gone,
          "the failed job's patch is deregistered",
        );
      },
    },
    tagsChanged: {
      notApplicable:
        "a camera node has no tags of its own: its jobTags go to the package the service makes, which no resource of the stack manages",
    },
    patchDeregistered: {
      what: "the node's patch deregistered (DeregisterPackageVersion)",
      mutate: async (w, camera) =>
        void (await w.panorama.send(new DeregisterPackageVersionCommand(patchOf(camera)))),
      ...nodeGone,
    },
  },
  destroyed: async (w, last) => {
    await assert.rejects(
      w.panorama.send(new DescribePackageVersionCommand(patchOf(last))),
      gone,
      "destroy deregisters the node's patch",
    );
    await assert.rejects(describeNode(w, last), gone, "the node is gone from the catalogue");
  },
  recreated: async (w, last, now, jobsBefore) => {
    assert.ok(!jobsBefore.includes(now.id), "a new template job");
    assert.notStrictEqual(now.outputs.patchVersion, last.outputs.patchVersion);
    await madeNode(w, now);
  },
  // The next up finds the killed run's job (same package, version, node name and stream URL).
  kill: { hold: "templateJob", operation: "CreateNodeFromTemplateJob" },
};

describeLifecycle(CAMERA_NODE);
