// A bad panorama-cli project is refused when PanoramaApplication is constructed, through the real
// engine and the CLI's language host as `pulumi up` runs a user's program: one sentence naming
// the file and the field, no serialization wrapper, and not one Panorama or S3 request.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CommandError, EngineEvent } from "@pulumi/pulumi/automation";
import { CLI_BUILD_TIMEOUT_MS, engineCli, localStack, withStack } from "../support/engine";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { PanoramaApplication } from "pulumi-panorama";
const config = new pulumi.Config();
new PanoramaApplication("people-counter", {
  projectDir: config.require("projectDir"),
  devices: [{
    name: "lobby",
    nodeOverrides: config.getObject("nodeOverrides") ?? { camera_node: { package: "lobby_camera" } },
    cameras: config.getObject("cameras"),
  }],
});
`;

describe("PanoramaApplication refuses a bad project before any request", function () {
  this.timeout(300_000);
  const fx = useEmulator({ devices: [{ name: "lobby" }] });
  let projects: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    projects = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-refusals-"));
  });
  after(() => fs.rmSync(projects, { recursive: true, force: true }));

  /** A copy of examples/fleet/project with `edit` applied to its graph.json text. */
  function project(name: string, edit?: (graph: string) => string): string {
    const dir = path.join(projects, name);
    fs.cpSync(path.join(__dirname, "../../examples/fleet/project"), dir, { recursive: true });
    const graph = path.join(dir, "graphs/people_counter/graph.json");
    if (edit) fs.writeFileSync(graph, edit(fs.readFileSync(graph, "utf8")));
    return dir;
  }

  /** Requests the emulator answered, Panorama and S3 alike. */
  const requests = async () =>
    Object.values(
      (await emulatorControl(fx().emu, "GET", "requests")).byOperation as Record<string, number>,
    ).reduce((sum, n) => sum + Number(n), 0);

  async function refusal(config: Record<string, string>): Promise<string[]> {
    const before = await requests();
    const errors = await withStack(
      localStack({ files: { "index.ts": PROGRAM }, env: fx().env, config }),
      async (s) => {
        const errors: string[] = [];
        await s.stack
          .preview({
            onEvent: (e: EngineEvent) => {
              const d = e.diagnosticEvent;
              if (d?.severity === "error") errors.push(d.message.trim());
            },
          })
          .then(
            () => assert.fail("preview should fail"),
            (e: CommandError) => e,
          );
        return errors;
      },
      { destroy: false },
    );
    assert.strictEqual(await requests(), before, "no Panorama or S3 request");
    assert.strictEqual(errors.length, 1, errors.join("\n---\n"));
    assert.doesNotMatch(errors[0], /error serializing|\n\s+at |ProjectError/);
    return errors;
  }

  it("a graph.json package that is neither panorama:: nor in packages/", async () => {
    const dir = project("unknown-package", (g) =>
      g.replace('"111122223333::PEOPLE_DETECTOR_MODEL"', '"111122223333::NOT_IN_PROJECT"'),
    );
    const [error] = await refusal({ projectDir: dir });
    assert.match(
      error,
      /graphs\/people_counter\/graph\.json: nodeGraph\.packages\[1\]: .*NOT_IN_PROJECT is neither a panorama:: package nor one of packages\//,
    );
  });

  it("an override naming a node the graph does not have", async () => {
    const [error] = await refusal({
      projectDir: project("unknown-node"),
      nodeOverrides: JSON.stringify({ no_such_node: { package: "lobby_camera" } }),
    });
    assert.match(error, /no_such_node/);
  });

  it("cameras on a node that is not an abstract camera, and without a password", async () => {
    const [error] = await refusal({
      projectDir: project("bad-cameras"),
      nodeOverrides: "{}",
      cameras: JSON.stringify({
        front_cam: { streamUrl: "rtsp://10.0.0.1/s", username: "u", password: "p" },
        camera_node: { streamUrl: "rtsp://10.0.0.1/s", username: "u" },
      }),
    });
    assert.match(
      error,
      /devices\[0\] \(lobby\)\.cameras\.front_cam: the graph has no abstract camera node front_cam/,
    );
    assert.match(error, /devices\[0\] \(lobby\)\.cameras\.camera_node: missing password/);
  });

  it("a graph.json that does not parse", async () => {
    const [error] = await refusal({ projectDir: project("broken-graph", () => "{ not json") });
    assert.match(error, /graphs\/people_counter\/graph\.json is not valid JSON/);
  });

  it("a project directory that does not exist", async () => {
    const missing = path.join(projects, "no-such-project");
    const [error] = await refusal({ projectDir: missing });
    assert.strictEqual(error, `projectDir: ${missing} does not exist.`);
  });
});
