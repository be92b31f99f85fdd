// Pulumi YAML through the real CLI and engine: the YAML language host that ensure-pulumi.js builds
// (github.com/pulumi/pulumi-yaml v1.25.0) runs a program whose resource is served by a provider
// plugin found through the project's `plugins:` section. The plugin is a test fixture (one resource,
// localfile:index:File, that writes a file), so the test can see what the engine asked of it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CommandError } from "@pulumi/pulumi/automation";
import {
  CLI_BUILD_TIMEOUT_MS,
  EngineCli,
  engineCli,
  localStack,
  resourcesOfType,
  stackState,
  withStack,
} from "../support/engine";
import { reportedVersion, YAML_VERSION } from "../../scripts/language-hosts";

const PLUGIN_DIR = path.join(__dirname, "..", "fixtures", "localfile-provider");
const FILE_TYPE = "localfile:index:File";

// `${target}` and `${note.size}` are Pulumi YAML interpolations, not template literals.
const projectYaml = `name: yaml-tools
runtime: yaml
plugins:
  providers:
    - name: localfile
      path: ${PLUGIN_DIR}
config:
  target:
    type: string
  content:
    type: string
resources:
  note:
    type: ${FILE_TYPE}
    properties:
      path: \${target}
      content: \${content}
outputs:
  path: \${note.path}
  size: \${note.size}
`;

describe("Pulumi YAML programs through the built YAML language host", function () {
  let cli: EngineCli;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    cli = await engineCli({ languages: ["yaml"] });
  });

  it("has the YAML host beside the real pulumi binary, answering with its version", async function () {
    const host = cli.languageHosts.yaml;
    assert.strictEqual(path.dirname(host), path.dirname(fs.realpathSync(cli.pulumiPath)));
    assert.strictEqual(await reportedVersion(host), `v${YAML_VERSION}`);
  });

  it("runs up, a no-change preview, an update, refresh and destroy, with the plugin's effects on disk", async function () {
    await withStack(localStack({ files: { "Pulumi.yaml": projectYaml } }), async (s) => {
      const target = path.join(s.sandbox.dir, "note.txt");
      await s.stack.setAllConfig({ target: { value: target }, content: { value: "hello" } });
      let output = "";
      const onOutput = (line: string) => (output += line);

      const created = await s.stack.up({ onOutput });
      assert.deepStrictEqual(created.summary.resourceChanges, { create: 2 });
      assert.strictEqual(created.outputs.path.value, target);
      assert.strictEqual(created.outputs.size.value, 5);
      assert.strictEqual(fs.readFileSync(target, "utf8"), "hello");
      // Found beside pulumi, not on PATH, and the plugin from the project, not downloaded.
      assert.match(output, /localfile:index:File +note +created/);
      assert.doesNotMatch(output, /from \$PATH|warning/i);

      const preview = await s.stack.preview({ expectNoChanges: true });
      assert.deepStrictEqual(preview.changeSummary, { same: 2 });

      await s.stack.setConfig("content", { value: "hello, world" });
      const updated = await s.stack.up();
      assert.deepStrictEqual(updated.summary.resourceChanges, { same: 1, update: 1 });
      assert.strictEqual(updated.outputs.size.value, 12);
      assert.strictEqual(fs.readFileSync(target, "utf8"), "hello, world");

      fs.writeFileSync(target, "changed outside");
      const refreshed = await s.stack.refresh();
      assert.deepStrictEqual(refreshed.summary.resourceChanges, { same: 1, update: 1 });
      const [note] = await resourcesOfType(s, FILE_TYPE);
      assert.strictEqual(note.outputs?.content, "changed outside");

      const destroyed = await s.stack.destroy();
      assert.deepStrictEqual(destroyed.summary.resourceChanges, { delete: 2 });
      assert.strictEqual(fs.existsSync(target), false);
      assert.deepStrictEqual((await stackState(s)).resources, []);
    });
  });

  it("fails up with the plugin's check failure naming the property, creating nothing", async function () {
    await withStack(localStack({ files: { "Pulumi.yaml": projectYaml } }), async (s) => {
      await s.stack.setAllConfig({ target: { value: "relative.txt" }, content: { value: "x" } });
      await assert.rejects(s.stack.up(), (err: unknown) => {
        assert.ok(err instanceof CommandError, `expected a CommandError, got ${err}`);
        assert.match(err.message, /path must be absolute, got "relative\.txt"/);
        return true;
      });
      assert.deepStrictEqual(await resourcesOfType(s, FILE_TYPE), []);
      assert.strictEqual(fs.existsSync(path.join(s.programDir, "relative.txt")), false);
    });
  });
});
