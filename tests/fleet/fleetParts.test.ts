// The parts of PanoramaApplication on their own, with the real SDK clients against the emulator:
// the content-addressed S3Object hooks, the device lookup by name, the health gate, reading a
// panorama-cli project and the checks on the component's arguments.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateApplicationInstanceCommand, ListDevicesCommand } from "@aws-sdk/client-panorama";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import {
  describeObject,
  removeObject,
  s3ObjectImplementation,
  startUpload,
} from "../../provider/resources/s3Object";
import { findDeviceByName } from "../../provider/resources/deviceLookup";
import { staysHealthy } from "../../provider/resources/healthGate";
import {
  pinnedGraph,
  readPanoramaProject,
  sha256,
} from "../../provider/components/panoramaProject";
import { checkedDevices } from "../../provider/components/panoramaApplication";
import { meetsBaseline } from "../../provider/resources/softwareBaseline";
import { validateApplicationManifest } from "../../provider/manifest/applicationManifest";
import { rolloutWaves } from "../../provider/components/rollout";
import { panoramaClient } from "../../provider/calls/awsClients";
import { s3Client } from "../../provider/calls/s3Client";
import { importPackage } from "../support/packageFixtures";
import { useEmulator } from "../support/emulatorFixture";

const EXAMPLE = path.join(__dirname, "../../examples/fleet/project");
const BUCKET = "panorama-123456789012-storage";

describe("fleet parts", () => {
  const fx = useEmulator({ devices: [{ name: "lobby" }, { name: "lobby-2" }, { name: "dock" }] });
  const putCount = () => fx().emu.control.requestCounts().byOperation["s3:PutObject"] ?? 0;

  describe("S3Object hooks", () => {
    const text = '{"hello": "panorama"}\n';
    const inputs = {
      bucket: BUCKET,
      key: `test/${sha256(Buffer.from(text))}.json`,
      sha256: sha256(Buffer.from(text)),
      content: text,
      contentType: "application/json",
    };

    it("start uploads once; a second start finds the object under its content-addressed key and uploads nothing", async () => {
      const s3 = s3Client("us-east-1");
      const before = putCount();
      const first = await startUpload(s3, inputs);
      assert.deepStrictEqual([first.alreadyPresent, first.size], [false, text.length]);
      const got = await fx().s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: inputs.key }));
      assert.strictEqual(await got.Body!.transformToString(), text);
      const second = await startUpload(s3, inputs);
      assert.strictEqual(second.alreadyPresent, true);
      assert.strictEqual(putCount(), before + 1);
    });

    it("bytes that do not match sha256 are refused before any upload, naming sha256", async () => {
      const before = putCount();
      await assert.rejects(
        startUpload(s3Client("us-east-1"), {
          ...inputs,
          key: "test/other.json",
          content: "changed",
        }),
        /has sha256 [0-9a-f]{64}, not [0-9a-f]{64} \(sha256\)/,
      );
      assert.strictEqual(putCount(), before);
    });

    it("remove keeps the object unless deleteOnDestroy", async () => {
      const s3 = s3Client("us-east-1");
      await removeObject(s3, inputs);
      assert.ok(await describeObject(s3, inputs));
      await removeObject(s3, { ...inputs, deleteOnDestroy: true });
      assert.strictEqual(await describeObject(s3, inputs), undefined);
    });

    it("check names each bad property; diff replaces on a new key only", async () => {
      const impl = s3ObjectImplementation;
      const failures = impl.checkFailures({
        bucket: "",
        key: "k",
        sha256: "ABC",
        source: "/no/such/file",
        content: "x",
        colour: 1,
      });
      assert.deepStrictEqual(failures.map((f) => f.property).sort(), [
        "bucket",
        "colour",
        "content",
        "sha256",
        "source",
      ]);
      assert.deepStrictEqual(impl.checkFailures({ ...inputs }), []);
      assert.deepStrictEqual(
        (await impl.diff("id", inputs, { ...inputs, key: "test/new.json" })).replaces,
        ["key"],
      );
      const contentOnly = await impl.diff("id", inputs, { ...inputs, contentType: "text/plain" });
      assert.deepStrictEqual([contentOnly.changes, contentOnly.replaces], [true, []]);
      assert.strictEqual((await impl.diff("id", inputs, { ...inputs })).changes, false);
    });
  });

  describe("device lookup by name", () => {
    it("finds the exact name among prefix matches; an unknown name lists what starts the same", async () => {
      const devices = (await fx().panorama.send(new ListDevicesCommand({}))).Devices!;
      const lobby = devices.find((d) => d.Name === "lobby")!.DeviceId;
      assert.strictEqual(
        await findDeviceByName(panoramaClient("us-east-1"), "lobby", "us-east-1"),
        lobby,
      );
      await assert.rejects(
        findDeviceByName(panoramaClient("us-east-1"), "lob", "us-east-1"),
        (e: Error) => {
          assert.match(
            e.message,
            /^devices: no device named lob in us-east-1 \(names starting so: /,
          );
          assert.match(e.message, new RegExp(`lobby \\(${lobby}\\)`));
          assert.match(e.message, /lobby-2 \(device-[a-z2-7]+\)/);
          return true;
        },
      );
    });

    it("lookups made together share one listing of the account's devices, each answered as alone", async () => {
      const ids = Object.fromEntries(
        (await fx().panorama.send(new ListDevicesCommand({}))).Devices!.map((d) => [
          d.Name,
          d.DeviceId,
        ]),
      );
      const client = panoramaClient("us-east-1");
      fx().emu.control.resetRequestCounts();
      const found = await Promise.allSettled(
        ["dock", "lobby", "lob", "lobby-2"].map((n) => findDeviceByName(client, n, "us-east-1")),
      );
      assert.deepStrictEqual(
        found.map((f) => (f.status === "fulfilled" ? f.value : "rejected")),
        [ids.dock, ids.lobby, "rejected", ids["lobby-2"]],
      );
      const lob = (found[2] as PromiseRejectedResult).reason as Error;
      assert.match(lob.message, /^devices: no device named lob in us-east-1 \(names starting so: /);
      assert.match(lob.message, /lobby-2 \(device-[a-z2-7]+\)/);
      assert.doesNotMatch(lob.message, /dock/);
      assert.strictEqual(
        fx().emu.control.requestCounts().byOperation["panorama:ListDevices"],
        1,
        "one ListDevices for four lookups",
      );
    });
  });

  describe("health gate", () => {
    it("passes an instance that stays RUNNING, and fails one whose health turns ERROR, naming device, status, health and message", async () => {
      await importPackage(
        { emu: fx().emu, panorama: fx().panorama, s3: fx().s3 } as any,
        "SAMPLE_CODE",
      );
      const dock = (await fx().panorama.send(new ListDevicesCommand({ NameFilter: "dock" })))
        .Devices![0].DeviceId!;
      const graph = JSON.stringify({
        nodeGraph: {
          envelopeVersion: "2021-01-01",
          packages: [{ name: "123456789012::SAMPLE_CODE", version: "1.0" }],
          nodes: [{ name: "code", interface: "123456789012::SAMPLE_CODE.interface" }],
        },
      });
      const { ApplicationInstanceId: id } = await fx().panorama.send(
        new CreateApplicationInstanceCommand({
          ManifestPayload: { PayloadData: graph },
          DefaultRuntimeContextDevice: dock,
        }),
      );
      fx().emu.control.completeApplicationInstance(id!);
      const gate = { applicationInstanceId: id!, deviceName: "dock", healthySeconds: 0.6 };
      await staysHealthy(panoramaClient("us-east-1"), gate);
      const checking = staysHealthy(panoramaClient("us-east-1"), { ...gate, healthySeconds: 5 });
      setTimeout(
        () =>
          fx().emu.control.setDeviceFault(dock, {
            health: "ERROR",
            message: "Model failed to load.",
          }),
        300,
      );
      await assert.rejects(
        checking,
        /Device dock: application instance applicationInstance-\w+ is DEPLOYMENT_SUCCEEDED with health ERROR: Model failed to load\./,
      );
    });
  });

  describe("the panorama-cli project", () => {
    it("reads every package of examples/fleet, uploads package.json byte for byte, and pins graph.json to the target account", () => {
      const project = readPanoramaProject(EXAMPLE);
      assert.strictEqual(project.graphName, "people_counter");
      assert.deepStrictEqual(
        project.packages.map((p) => p.name),
        [
          "PEOPLE_COUNTER_CODE",
          "PEOPLE_DETECTOR_MODEL",
          "dock_camera",
          "gate_camera",
          "lobby_camera",
        ],
      );
      const code = project.packages[0];
      assert.strictEqual(
        code.manifest,
        fs.readFileSync(
          path.join(EXAMPLE, "packages/111122223333-PEOPLE_COUNTER_CODE-1.0/package.json"),
          "utf8",
        ),
      );
      assert.deepStrictEqual(
        code.assets.map((a) => a.uri),
        code.assets.map((a) => `${a.sha256}${a.uri.slice(64)}`),
      );
      assert.deepStrictEqual(project.packages[2].assets, [], "system assets are not uploaded");
      const imported = Object.fromEntries(
        project.packages.map((p) => [
          p.name,
          { account: "123456789012", patchVersion: p.manifestSha256 },
        ]),
      );
      const g = pinnedGraph(project, imported).nodeGraph;
      assert.deepStrictEqual(g.packages[0], {
        name: "123456789012::PEOPLE_COUNTER_CODE",
        version: "1.0",
        patchVersion: code.manifestSha256,
      });
      assert.deepStrictEqual(g.packages[2], {
        name: "panorama::abstract_rtsp_media_source",
        version: "1.0",
      });
      assert.strictEqual(g.nodes[0].interface, "123456789012::PEOPLE_COUNTER_CODE.interface");
    });

    it("a $schema member in graph.json (for editors) is left out of the manifest it deploys", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-parts-"));
      try {
        fs.cpSync(EXAMPLE, dir, { recursive: true });
        const file = path.join(dir, "graphs/people_counter/graph.json");
        const schema = "../../node_modules/pulumi-panorama/model/schemas/nodeGraph.schema.json";
        const graph = { $schema: schema, ...JSON.parse(fs.readFileSync(file, "utf8")) };
        fs.writeFileSync(file, JSON.stringify(graph, null, 2));
        const project = readPanoramaProject(dir);
        const imported = Object.fromEntries(
          project.packages.map((p) => [p.name, { account: "123456789012", patchVersion: "p" }]),
        );
        const pinned = pinnedGraph(project, imported);
        assert.deepStrictEqual(Object.keys(pinned), ["nodeGraph"]);
        assert.deepStrictEqual(validateApplicationManifest(pinned), []);
        assert.deepStrictEqual(validateApplicationManifest(graph), [
          "$schema: is not allowed (allowed: nodeGraph)",
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("an asset edited in place gets a new content-addressed name and a new package.json (new patch); a missing one is named", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-parts-"));
      try {
        fs.cpSync(EXAMPLE, dir, { recursive: true });
        const before = readPanoramaProject(dir).packages[1];
        fs.appendFileSync(before.assets[0].file, "retrained");
        const after = readPanoramaProject(dir).packages[1];
        assert.notStrictEqual(after.assets[0].uri, before.assets[0].uri);
        assert.ok(after.manifest.includes(after.assets[0].uri));
        assert.notStrictEqual(after.manifestSha256, before.manifestSha256);
        fs.rmSync(after.assets[1].file);
        assert.throws(
          () => readPanoramaProject(dir),
          /nodePackage\.assets\[0\]\.implementations\[0\]\.descriptorUri: "[0-9a-f]{64}\.json" is not a file in/,
        );
        fs.writeFileSync(after.assets[1].file, "{}");
        const graphJson = path.join(dir, "graphs", "people_counter", "graph.json");
        const graph = JSON.parse(fs.readFileSync(graphJson, "utf8"));
        graph.nodeGraph.packages.push({ name: "210987654321::NOT_IN_PROJECT", version: "1.0" });
        fs.writeFileSync(graphJson, JSON.stringify(graph));
        assert.throws(
          () => readPanoramaProject(dir),
          /graph\.json: nodeGraph\.packages\[\d+\]: 210987654321::NOT_IN_PROJECT is neither a panorama:: package nor one of packages\//,
        );
        assert.throws(
          () => readPanoramaProject(path.join(dir, "missing")),
          /projectDir: .*missing does not exist\./,
        );
        fs.rmSync(path.join(dir, "graphs"), { recursive: true });
        assert.throws(
          () => readPanoramaProject(dir),
          /projectDir: .* is not a panorama-cli project \(no graphs\/ directory\)/,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("the component's arguments", () => {
    const project = readPanoramaProject(EXAMPLE);
    it("are refused all at once, each naming the argument and the rule", () => {
      assert.throws(
        () =>
          checkedDevices(
            {
              projectDir: EXAMPLE,
              devices: [
                "device-a",
                "device-a",
                { id: "x", name: "y" },
                {
                  name: "gate",
                  nodeOverrides: {
                    output_node: { package: "gate_camera" },
                    camera_node: { package: "nope" },
                  },
                },
              ],
              nodeOverrides: { threshold: { package: "lobby_camera" } },
              rollout: { maxParallel: 0 },
            },
            project,
            "people-counter",
          ),
        (e: Error) => {
          for (const rule of [
            /rollout\.maxParallel: must be a whole number of devices, 1 or more \(got 0\)/,
            /devices\[1\]: device-a is listed twice/,
            /devices\[2\]: give exactly one of id or name/,
            /devices\[3\] \(gate\)\.nodeOverrides\.output_node: node output_node is not overridable in graph.json/,
            /devices\[3\] \(gate\)\.nodeOverrides\.camera_node: package nope is not in packages\//,
            /devices\[0\] \(device-a\)\.nodeOverrides\.threshold: node threshold is a float32 value node; override it with \{ value \}/,
          ])
            assert.match(e.message, rule);
          return true;
        },
      );
    });

    it("cameras are refused before any resource: an unknown camera node, missing credentials, a node also overridden", () => {
      assert.throws(
        () =>
          checkedDevices(
            {
              projectDir: EXAMPLE,
              devices: [
                {
                  name: "lobby",
                  cameras: {
                    front_cam: { streamUrl: "rtsp://10.0.0.1/s", username: "u", password: "p" },
                  },
                },
                {
                  name: "dock",
                  cameras: {
                    camera_node: { streamUrl: "rtsp://10.0.0.2/s", username: "u" } as any,
                  },
                },
                {
                  name: "gate",
                  nodeOverrides: { camera_node: { package: "gate_camera" } },
                  cameras: {
                    camera_node: { streamUrl: "rtsp://10.0.0.3/s", username: "u", password: "" },
                  },
                },
                {
                  name: "hall",
                  cameras: {
                    threshold: { streamUrl: "rtsp://10.0.0.4/s", username: "u", password: "p" },
                  },
                },
                {
                  name: "yard",
                  cameras: {
                    camera_node: {
                      streamUrl: "rtsp://10.0.0.5/s",
                      username: "u",
                      password: "p",
                      packageVersion: "2",
                    },
                  },
                },
              ],
            },
            project,
            "people-counter",
          ),
        (e: Error) => {
          for (const rule of [
            /devices\[0\] \(lobby\)\.cameras\.front_cam: the graph has no abstract camera node front_cam \(panorama::abstract_rtsp_media_source\.rtsp_v1_interface; its camera nodes: camera_node\)/,
            /devices\[1\] \(dock\)\.cameras\.camera_node: missing password \(a camera needs its stream URL and credentials\)/,
            /devices\[2\] \(gate\)\.cameras\.camera_node: node camera_node is in this device's nodeOverrides too; give one of them/,
            /devices\[2\] \(gate\)\.cameras\.camera_node: missing password/,
            /devices\[3\] \(hall\)\.cameras\.threshold: the graph has no abstract camera node threshold/,
            /devices\[4\] \(yard\)\.cameras\.camera_node: packageVersion "2" is not <major>\.<minor> \(e\.g\. 2\.0\)/,
          ])
            assert.match(e.message, rule);
          return true;
        },
      );
    });

    it("a software baseline must be <major>.<minor>.<patch>; a device is behind unless its known version is at or past it", () => {
      assert.throws(
        () =>
          checkedDevices(
            { projectDir: EXAMPLE, devices: ["device-a"], deviceSoftware: { imageVersion: "6.3" } },
            project,
            "people-counter",
          ),
        /deviceSoftware\.imageVersion: an appliance software version is <major>\.<minor>\.<patch>, e\.g\. 5\.0\.7 \(got "6\.3"\)/,
      );
      assert.strictEqual(meetsBaseline("6.3.0", "6.3.0"), true);
      assert.strictEqual(meetsBaseline("6.10.0", "6.3.0"), true);
      assert.strictEqual(meetsBaseline("6.2.9", "6.3.0"), false);
      assert.strictEqual(meetsBaseline("NOT_AVAILABLE", "6.3.0"), false);
      assert.strictEqual(meetsBaseline(undefined, "6.3.0"), false);
    });

    it("waves: the canary, then batches of at most maxParallel, in order", () => {
      assert.deepStrictEqual(rolloutWaves([1, 2, 3, 4, 5, 6], { canary: 1, maxParallel: 2 }), [
        [1],
        [2, 3],
        [4, 5],
        [6],
      ]);
      assert.deepStrictEqual(rolloutWaves([1, 2, 3], { canary: 0, maxParallel: 5 }), [[1, 2, 3]]);
      assert.deepStrictEqual(rolloutWaves([1, 2, 3], undefined), [[1], [2], [3]]);
    });
  });
});
