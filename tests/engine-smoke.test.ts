// The real Pulumi CLI and engine work here, offline, with a file:// backend: an inline program and
// a TypeScript project directory each go through up, a no-change preview, an update, refresh and
// destroy with a tiny dynamic resource; a program error fails the update; and `pulumi up` can be
// killed mid-operation with its plugins, leaving the pending operation in state.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import {
  CLI_BUILD_TIMEOUT_MS,
  DYNAMIC_RESOURCE_TYPE,
  EngineStack,
  engineCli,
  inlineStack,
  localStack,
  processesUnder,
  resourcesOfType,
  spawnUp,
  stackState,
  withStack,
} from "./support/engine";

const FIXTURE = path.join(__dirname, "fixtures", "engine-smoke-program");

// Every method appends its name to the `journal` file, so the test can see what the
// dynamic-provider plugin (a separate process) was asked to do.
const journalingProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    require("fs").appendFileSync(inputs.journal, "create\n");
    return { id: `greeting-${inputs.message}`, outs: { ...inputs, revision: 1 } };
  },
  async read(id, props) {
    require("fs").appendFileSync(props.journal, "read\n");
    return { id, props };
  },
  async diff(_id, olds, news) {
    require("fs").appendFileSync(news.journal, "diff\n");
    return { changes: olds.message !== news.message };
  },
  async update(_id, olds, news) {
    require("fs").appendFileSync(news.journal, "update\n");
    return { outs: { ...news, revision: olds.revision + 1 } };
  },
  async delete(_id, props) {
    require("fs").appendFileSync(props.journal, "delete\n");
  },
};

class Greeting extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  declare readonly revision: pulumi.Output<number>;

  constructor(name: string, args: { message: string; journal: string }) {
    super(journalingProvider, name, { revision: undefined, ...args });
  }
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function journalOf(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n") : [];
}

describe("the real Pulumi engine, offline", function () {
  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    const cli = await engineCli();
    // An unstamped build reports no version, which breaks the Automation API's inline refresh/destroy.
    assert.ok(
      cli.command.version && cli.command.version.compare("3.248.0") >= 0,
      `CLI version ${cli.command.version}`,
    );
  });

  it("runs an inline program through up, a no-change preview, an update, refresh and destroy", async function () {
    let message = "hello";
    let journal = "";
    const program = async () => {
      const greeting = new Greeting("greeting", { message, journal });
      return { message: greeting.message, revision: greeting.revision };
    };
    await withStack(inlineStack({ program }), async (s) => {
      journal = path.join(s.sandbox.dir, "journal");

      const created = await s.stack.up();
      assert.strictEqual(created.outputs.message.value, "hello");
      assert.strictEqual(created.outputs.revision.value, 1);
      assert.deepStrictEqual(created.summary.resourceChanges, { create: 2 });
      assert.deepStrictEqual(journalOf(journal), ["create"]);

      const preview = await s.stack.preview({ expectNoChanges: true });
      assert.deepStrictEqual(preview.changeSummary, { same: 2 });
      assert.deepStrictEqual(journalOf(journal).slice(1), ["diff"]);

      message = "bye";
      const updated = await s.stack.up();
      assert.strictEqual(updated.outputs.message.value, "bye");
      assert.strictEqual(updated.outputs.revision.value, 2);
      assert.deepStrictEqual(updated.summary.resourceChanges, { same: 1, update: 1 });
      assert.deepStrictEqual(journalOf(journal).slice(2), ["diff", "update"]);

      const refreshed = await s.stack.refresh();
      assert.deepStrictEqual(refreshed.summary.resourceChanges, { same: 2 });
      // Inline refresh and destroy run the program as well (the CLI is driven with --client), so
      // the engine diffs after reading.
      assert.deepStrictEqual(journalOf(journal).slice(4), ["read", "diff"]);
      const [resource] = await resourcesOfType(s, DYNAMIC_RESOURCE_TYPE);
      assert.strictEqual(resource.id, "greeting-hello");
      assert.strictEqual(resource.outputs?.revision, 2);

      const destroyed = await s.stack.destroy();
      assert.deepStrictEqual(destroyed.summary.resourceChanges, { delete: 2 });
      assert.deepStrictEqual((await stackState(s)).resources, []);
      assert.deepStrictEqual(journalOf(journal).slice(6), ["delete"]);
    });
  });

  it("runs a TypeScript project directory through the Node.js language host", async function () {
    await withStack(
      localStack({ programDir: FIXTURE, config: { message: "hello" } }),
      async (s) => {
        const created = await s.stack.up();
        assert.strictEqual(created.outputs.message.value, "hello");
        assert.strictEqual(created.outputs.revision.value, 1);
        assert.strictEqual(created.outputs.typescript.value, true);
        assert.deepStrictEqual(created.summary.resourceChanges, { create: 2 });

        const preview = await s.stack.preview({ expectNoChanges: true });
        assert.deepStrictEqual(preview.changeSummary, { same: 2 });

        await s.stack.setConfig("message", { value: "bye" });
        const updated = await s.stack.up();
        assert.strictEqual(updated.outputs.message.value, "bye");
        assert.strictEqual(updated.outputs.revision.value, 2);
        assert.deepStrictEqual(updated.summary.resourceChanges, { same: 1, update: 1 });

        const refreshed = await s.stack.refresh();
        assert.deepStrictEqual(refreshed.summary.resourceChanges, { same: 2 });

        const destroyed = await s.stack.destroy();
        assert.deepStrictEqual(destroyed.summary.resourceChanges, { delete: 2 });
        assert.deepStrictEqual((await stackState(s)).resources, []);
      },
    );
  });

  it("fails the update with the program's own error when a project directory's program throws", async function () {
    await withStack(localStack({ programDir: FIXTURE }), async (s) => {
      await assert.rejects(s.stack.up(), (err: unknown) => {
        assert.ok(err instanceof CommandError, `expected a CommandError, got ${err}`);
        assert.match(
          err.message,
          /Missing required configuration variable 'engine-smoke-program:message'/,
        );
        return true;
      });
      assert.deepStrictEqual(await resourcesOfType(s, DYNAMIC_RESOURCE_TYPE), []);
    });
  });

  it("kills `pulumi up` mid-create together with its plugins, leaving the create pending in state", async function () {
    const config = { message: "hello", delayMs: "600000" };
    await withStack(localStack({ programDir: FIXTURE, config }), async (s: EngineStack) => {
      const up = spawnUp(s);
      await up.waitForOutput(/greeting creating/);
      assert.ok(
        processesUnder(s.programDir).some((p) => p.cmdline.includes("dynamic-provider")),
        "the dynamic-provider plugin should be running",
      );

      assert.strictEqual(up.kill(), true);
      const { signal } = await up.exited;
      assert.strictEqual(signal, "SIGKILL");
      await eventually(() => assert.deepStrictEqual(processesUnder(s.programDir), []));

      const state = await stackState(s);
      assert.deepStrictEqual(
        state.pendingOperations.map((op) => [op.type, op.resource.type]),
        [["creating", DYNAMIC_RESOURCE_TYPE]],
      );
      assert.deepStrictEqual(await resourcesOfType(s, DYNAMIC_RESOURCE_TYPE), []);
    });
  });
});
