// The one lifecycle on its own (as the CDK provider framework's runtime.test.ts drives its
// framework): a fake resource, "thing", whose hooks act on an in-memory world, fake clients at the
// seam (CallContext.clients) and a fake clock, so every wait, timeout and cancel runs in
// milliseconds with no engine and no network.
import * as assert from "assert";
import type { PanoramaClient } from "@aws-sdk/client-panorama";
import { ClientFactory, CallContext } from "../../provider/lifecycle/callContext";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import type { Removal, ResourceHooks } from "../../provider/lifecycle/resourceHooks";
import { resourceProvider } from "../../provider/lifecycle/resourceProvider";
import type { Props, ResourceSpec } from "../../provider/lifecycle/resourceSpec";
import type { WaitClock } from "../../provider/calls/waitClock";
import { FakeClock, steppingClock } from "../support/fakeClock";
import { logged } from "../support/logged";

const SPEC: ResourceSpec = {
  type: "Thing",
  parameters: ["name"],
  options: { tags: "tags", note: "text" },
  adopt: { input: "adoptThingId", shape: "JobId", list: "list-things" },
  outputs: ["thingId", "status", "message", "arn"],
};

interface Thing {
  status: string;
  message?: string;
  readyAt: number;
  /** What its status becomes at readyAt. */
  becomes: string;
  removedAt?: number;
}

/** Things and the calls made on them; statuses move with the clock. */
class World {
  readonly things = new Map<string, Thing>();
  readonly calls: string[] = [];
  private next = 1;

  constructor(readonly clock: WaitClock) {}

  add(readyInMs: number, becomes = "READY", message?: string): string {
    const id = `thing-${this.next++}`;
    this.things.set(id, {
      status: "CREATING",
      readyAt: this.clock.now() + readyInMs,
      becomes,
      message,
    });
    return id;
  }

  read(id: string): Thing | undefined {
    this.calls.push(`describe ${id}`);
    const t = this.things.get(id);
    if (!t) return undefined;
    const now = this.clock.now();
    if (t.removedAt !== undefined)
      return now >= t.removedAt ? undefined : { ...t, status: "DELETING" };
    return now >= t.readyAt ? { ...t, status: t.becomes } : t;
  }
}

/** The thing's hooks; `removal` says how a delete goes (default: gone after 2 s). */
function hooksFor(
  world: World,
  o: {
    readyInMs?: number;
    becomes?: string;
    removeInMs?: number;
    removalFails?: boolean;
    /** How long a SULKING thing (waited on, like CREATING) may sulk before it is a failure. */
    patience?: number;
  } = {},
): ResourceHooks<Thing> {
  return {
    noun: "thing",
    label: (p) => `Thing ${p.name ?? p.thingId ?? "?"}`,
    where: (p) => `in ${p.region}`,
    check: () => [],
    async start(call, inputs, base) {
      world.calls.push("create");
      const id = world.add(o.readyInMs ?? 3_000, o.becomes, "the widget is bent");
      call.log(`Thing ${inputs.name}: created ${id}`);
      return { id, outs: { ...base, thingId: id, status: "CREATING" } };
    },
    describe: async (_call, id) => world.read(id),
    merge: (outs, t) => ({
      ...outs,
      status: t.status,
      ...(t.message ? { message: t.message } : {}),
    }),
    acceptor: (p) =>
      p.status === "READY"
        ? "success"
        : p.status === "CREATING" || p.status === "SULKING"
          ? "retry"
          : "failure",
    patienceSeconds: (p) => (p.status === "SULKING" ? o.patience : undefined),
    failure: (id, p) =>
      `Thing ${id} is ${p.status}: ${p.message}. Straighten it and run \`pulumi up\` again.`,
    adoptable: (actual) =>
      actual.status === "BROKEN" ? "is BROKEN; only a working thing can be adopted" : undefined,
    apiTags: (p) => ({ ...(p.tags ?? {}) }),
    async remove(_call, id): Promise<Removal<Thing>> {
      world.calls.push(`remove ${id}`);
      const t = world.things.get(id);
      if (!t) return { outcome: "absent", verb: "remove" };
      t.removedAt = world.clock.now() + (o.removeInMs ?? 2_000);
      return {
        outcome: "started",
        verb: "remove",
        line: `removing ${id}`,
        check: async () => world.read(id),
        acceptor: () => (o.removalFails ? "failure" : "retry"),
        state: (seen) => seen.status,
        failure: (seen) =>
          `removing ${id} ended ${seen.status}: stuck. Unstick it and run \`pulumi destroy\` again.`,
        done: `${id} removed`,
      };
    },
  };
}

/** Clients at the seam: a Panorama client that records what it is sent and answers {}. */
function fakeClients(sent: string[]): ClientFactory {
  const panorama = {
    send: async (command: object) => void sent.push(command.constructor.name),
  } as unknown as PanoramaClient;
  return {
    region: (requested) => requested ?? "us-test-1",
    panorama: () => panorama,
    singleAttemptPanorama: () => panorama,
    s3: () => {
      throw new Error("a thing has no S3 object");
    },
  };
}

function setup(options: Parameters<typeof hooksFor>[1] & { clock?: WaitClock } = {}) {
  const clock = options.clock ?? steppingClock(1_000_000);
  const world = new World(clock);
  const impl = resourceProvider(SPEC, hooksFor(world, options), { clock });
  const lines: string[] = [];
  const sent: string[] = [];
  const ctx = (more: Partial<CallContext> = {}): CallContext => ({
    log: (line) => lines.push(line),
    clients: fakeClients(sent),
    ...more,
  });
  const inputs = (more: Props = {}): Props => ({ __provider: "p", name: "bolt", ...more });
  return { clock, world, impl, lines, sent, ctx, inputs };
}

async function recorded(promise: Promise<unknown>): Promise<RecordedFailure> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof RecordedFailure, `a RecordedFailure, not ${(e as Error).stack}`);
    return e;
  }
  assert.fail("expected a RecordedFailure");
}

describe("resourceProvider, the one lifecycle", () => {
  describe("create", () => {
    it("waits until the acceptor says success, its progress lines going to ctx.log", async () => {
      const { impl, ctx, inputs, lines } = setup();
      const { id, outs } = await impl.create(inputs(), ctx());
      assert.strictEqual(outs.status, "READY");
      assert.strictEqual(outs.region, "us-test-1", "the factory resolved the region");
      assert.ok(lines.includes(`Thing bolt: created ${id}`), lines.join("\n"));
      assert.ok(
        lines.some((l) => /^Thing bolt: thing thing-1 CREATING after 0\.5s; next check in/.test(l)),
      );
      assert.strictEqual(lines.at(-1), `Thing bolt: thing ${id} READY`);
    });

    it("that fails after the object exists records it: id, outputs and the hook's reason", async () => {
      const { impl, ctx, inputs } = setup({ becomes: "BENT" });
      const e = await recorded(impl.create(inputs(), ctx()));
      assert.strictEqual(e.id, "thing-1");
      assert.strictEqual(e.properties.status, "BENT");
      assert.strictEqual(
        e.properties.__provider,
        "p",
        "the provider stays in the recorded outputs",
      );
      assert.deepStrictEqual(e.reasons, [
        "Thing thing-1 is BENT: the widget is bent. Straighten it and run `pulumi up` again.",
      ]);
    });

    it("whose acceptor never succeeds times out recorded as in progress; the next update resumes it", async () => {
      const { impl, ctx, inputs, world, clock } = setup({ readyInMs: 60_000 });
      const given = inputs({ waitOptions: { timeoutSeconds: 5 } });
      const e = await recorded(impl.create(given, ctx()));
      assert.strictEqual(e.properties.status, "CREATING");
      assert.match(
        e.reasons[0],
        /^Thing thing-1 in us-test-1 is still CREATING after 5s \(waitOptions\.timeoutSeconds\)\. It is recorded in the stack; run `pulumi up` again to resume waiting on the same thing, or raise waitOptions\.timeoutSeconds\.$/,
      );
      const later = inputs({ waitOptions: { timeoutSeconds: 120 } });
      const diff = await impl.diff(e.id, e.properties, later, ctx());
      assert.deepStrictEqual([diff.replaces, diff.updates], [[], ["waitOptions", "status"]]);
      const creates = world.calls.filter((c) => c === "create").length;
      const { outs } = await impl.update(e.id, e.properties, later, ctx());
      assert.strictEqual(outs.status, "READY");
      assert.ok(clock.now() >= world.things.get("thing-1")!.readyAt);
      assert.strictEqual(
        world.calls.filter((c) => c === "create").length,
        creates,
        "no second create",
      );
    });

    it("a waited state with a patience fails once it lasted that long, not at the timeout; the next update checks it again", async () => {
      const { impl, ctx, inputs, world, clock } = setup({ becomes: "SULKING", patience: 10 });
      const given = inputs({ waitOptions: { timeoutSeconds: 600 } });
      const began = clock.now();
      const e = await recorded(impl.create(given, ctx()));
      const sulkingFor = clock.now() - world.things.get(e.id)!.readyAt;
      assert.ok(
        sulkingFor >= 10_000 && sulkingFor < 15_000,
        `failed after sulking ${sulkingFor} ms`,
      );
      assert.ok(clock.now() - began < 600_000);
      assert.strictEqual(e.properties.status, "SULKING");
      assert.deepStrictEqual(e.reasons, [
        "Thing thing-1 is SULKING: the widget is bent. Straighten it and run `pulumi up` again.",
      ]);
      const diff = await impl.diff(e.id, e.properties, given, ctx());
      assert.deepStrictEqual([diff.replaces, diff.updates], [[], ["status"]]);
      world.things.get(e.id)!.becomes = "READY";
      const { outs } = await impl.update(e.id, e.properties, given, ctx());
      assert.strictEqual(outs.status, "READY");
    });

    it("is bounded by the engine's deadline when the program sets no timeout, and the program's timeout wins", async () => {
      const { impl, ctx, inputs } = setup({ readyInMs: 60_000 });
      const engine = await recorded(impl.create(inputs(), ctx({ timeoutSeconds: 3 })));
      assert.match(
        engine.reasons[0],
        /is still CREATING after 3s \(customTimeouts\)\..*or raise customTimeouts\.$/,
      );
      const program = await recorded(
        impl.create(inputs({ waitOptions: { timeoutSeconds: 2 } }), ctx({ timeoutSeconds: 3 })),
      );
      assert.match(program.reasons[0], /after 2s \(waitOptions\.timeoutSeconds\)/);
    });

    it("with waiting off records the object as it is, without a check", async () => {
      const { impl, ctx, inputs, world } = setup();
      const { outs } = await impl.create(inputs({ waitOptions: { enabled: false } }), ctx());
      assert.strictEqual(outs.status, "CREATING");
      assert.deepStrictEqual(world.calls, ["create"]);
    });

    it("retries a status check that failed transiently, with a line; another error ends the wait recorded", async () => {
      const { impl, ctx, inputs, world, lines } = setup();
      const read = world.read.bind(world);
      let failures = 1;
      world.read = (id) => {
        if (failures-- > 0)
          throw Object.assign(new Error("slow down"), { name: "ThrottlingException" });
        return read(id);
      };
      assert.strictEqual((await impl.create(inputs(), ctx())).outs.status, "READY");
      assert.ok(
        lines.some((l) =>
          l.includes(
            "status check of thing thing-1 failed after 0.5s (ThrottlingException: slow down); will retry",
          ),
        ),
        lines.join("\n"),
      );
      world.read = () => {
        throw Object.assign(new Error("no"), { name: "AccessDeniedException" });
      };
      const e = await recorded(impl.create(inputs(), ctx()));
      assert.match(
        e.reasons[0],
        /^Could not check thing thing-2: AccessDeniedException: no .*It is recorded in the stack as CREATING; fix the cause and run `pulumi up` again to resume waiting\.$/,
      );
    });

    it("a Describe that finds the object gone mid-wait records it, naming the id and region", async () => {
      const { impl, ctx, inputs, world } = setup();
      world.read = () => undefined;
      const e = await recorded(impl.create(inputs(), ctx()));
      assert.match(
        e.reasons[0],
        /^Could not check thing thing-1: thing-1 no longer exists in us-test-1\./,
      );
    });

    it("an aborted signal ends the wait at once and records the object as in progress", async () => {
      const clock = new FakeClock();
      const { impl, ctx, inputs, world } = setup({ clock, readyInMs: 600_000 });
      const controller = new AbortController();
      const creating = impl.create(inputs(), ctx({ signal: controller.signal }));
      await clock.advance(5_000);
      const checks = world.calls.length;
      const abortedAt = clock.now();
      controller.abort();
      const e = await recorded(creating);
      assert.strictEqual(clock.now(), abortedAt, "no more waiting after the cancel");
      assert.strictEqual(world.calls.length, checks, "no more checks after the cancel");
      assert.strictEqual(e.properties.status, "CREATING");
      assert.match(
        e.reasons[0],
        /^Thing thing-1 in us-test-1 is still CREATING: the wait was cancelled after 5\.0s\. It is recorded in the stack; run `pulumi up` again to resume waiting on the same thing\.$/,
      );
    });
  });

  describe("adoption", () => {
    it("of an id that does not exist is refused naming the id, the region and how to list them", async () => {
      const { impl, ctx, inputs } = setup();
      await assert.rejects(
        impl.create(inputs({ adoptThingId: "thing-404" }), ctx()),
        (e: Error) =>
          e.message ===
          "adoptThingId: thing thing-404 does not exist in us-test-1. Check the id and the region (the resource's `region` input or `aws:region`); list the region's things with `aws panorama list-things --region us-test-1`.",
      );
    });

    it("takes an existing object as it is, puts the program's tags on it, and waits as for a create", async () => {
      const { impl, ctx, inputs, world, sent } = setup();
      const id = world.add(1_000);
      const { id: adopted, outs } = await impl.create(
        inputs({ adoptThingId: id, name: undefined, tags: { team: "a" } }),
        ctx(),
      );
      assert.strictEqual(adopted, id);
      assert.strictEqual(outs.status, "READY");
      assert.deepStrictEqual(sent, ["TagResourceCommand"]);
      assert.deepStrictEqual(outs.tags, { team: "a" });
    });

    it("of an object that cannot be adopted is refused with the hook's reason", async () => {
      const { impl, ctx, inputs, world } = setup();
      const id = world.add(0, "BROKEN");
      await assert.rejects(
        impl.create(inputs({ adoptThingId: id }), ctx()),
        new RegExp(
          `^Error: adoptThingId: thing ${id} is BROKEN; only a working thing can be adopted\\.$`,
        ),
      );
    });
  });

  describe("diff and update", () => {
    it("diff names the inputs that replace and, beside them, those that change in place", async () => {
      const { impl, inputs, ctx } = setup();
      const olds = { ...inputs({ note: "a" }), region: "us-test-1", status: "READY" };
      assert.deepStrictEqual(await impl.diff("thing-1", olds, inputs({ note: "a" }), ctx()), {
        changes: false,
        replaces: [],
        updates: [],
        deleteBeforeReplace: false,
      });
      const d = await impl.diff(
        "thing-1",
        olds,
        inputs({ name: "nut", note: "b", tags: { x: "1" } }),
        ctx(),
      );
      assert.deepStrictEqual([d.replaces, d.updates], [["name"], ["tags", "note"]]);
      const moved = await impl.diff(
        "thing-1",
        olds,
        inputs({ note: "a", region: "eu-west-1" }),
        ctx(),
      );
      assert.deepStrictEqual(
        moved.replaces,
        ["region"],
        "the region as the call's clients resolve it",
      );
    });

    it("preview of an update calls nothing: known outputs stay, the tags are the program's new ones", async () => {
      const { impl, ctx, inputs, world, sent } = setup();
      const olds = {
        ...inputs({ tags: { a: "1" } }),
        thingId: "thing-1",
        status: "READY",
        arn: "arn:thing-1",
      };
      const { outs } = await impl.update(
        "thing-1",
        olds,
        inputs({ tags: { b: "2" }, note: "n" }),
        ctx({ preview: true }),
      );
      assert.deepStrictEqual(outs, { ...olds, tags: { b: "2" }, note: "n" });
      assert.deepStrictEqual([world.calls, sent], [[], []]);
    });

    it("an options-only update keeps every output and calls nothing", async () => {
      const { impl, ctx, inputs, world, sent } = setup();
      const olds = {
        ...inputs(),
        thingId: "thing-1",
        status: "READY",
        arn: "arn:thing-1",
        region: "us-test-1",
      };
      const { outs } = await impl.update("thing-1", olds, inputs({ note: "n" }), ctx());
      assert.deepStrictEqual(outs, { ...olds, note: "n" });
      assert.deepStrictEqual([world.calls, sent], [[], []]);
    });
  });

  describe("delete", () => {
    it("starts the removal with the hook and waits until its check finds the object gone", async () => {
      const { impl, ctx, inputs, lines, clock } = setup();
      const { id, outs } = await impl.create(inputs(), ctx());
      const before = clock.now();
      await impl.delete(id, outs, ctx());
      assert.ok(clock.now() - before >= 2_000, "it waited for the removal");
      assert.deepStrictEqual(lines.slice(-3), [
        `Thing bolt: removing ${id}`,
        `Thing bolt: thing ${id} in us-test-1 DELETING after 0.5s; next check in 0.5s`,
        `Thing bolt: ${id} removed`,
      ]);
    });

    it("of an object that no longer exists says so and waits for nothing", async () => {
      const { impl, ctx, inputs, lines, world } = setup();
      await impl.delete("thing-9", { ...inputs(), region: "us-test-1" }, ctx());
      assert.deepStrictEqual(world.calls, ["remove thing-9"]);
      assert.deepStrictEqual(lines, [
        "Thing bolt: thing thing-9 in us-test-1 no longer exists; nothing to remove",
      ]);
    });

    it("that never completes times out naming the object, what it is and the next step", async () => {
      const { impl, ctx, inputs } = setup({ removeInMs: 3_600_000 });
      const { id, outs } = await impl.create(inputs(), ctx());
      await assert.rejects(
        impl.delete(id, { ...outs, waitOptions: { timeoutSeconds: 4 } }, ctx()),
        (e: Error) => {
          assert.strictEqual(
            e.message,
            `Thing bolt: thing ${id} in us-test-1 is not gone after 4s (waitOptions.timeoutSeconds): DELETING. ` +
              "It stays in the stack; run `pulumi destroy` again to keep waiting.",
          );
          return true;
        },
      );
    });

    it("whose removal fails for good gives the hook's reason and keeps the object", async () => {
      const { impl, ctx, inputs } = setup({ removalFails: true });
      const { id, outs } = await impl.create(inputs(), ctx());
      await assert.rejects(
        impl.delete(id, outs, ctx()),
        new RegExp(
          `^Error: Thing bolt: removing ${id} ended DELETING: stuck\\. Unstick it and run \`pulumi destroy\` again\\.$`,
        ),
      );
    });

    it("an aborted signal ends a removal's wait at once; the object stays in the stack", async () => {
      const clock = new FakeClock();
      const { impl, ctx, inputs } = setup({ clock, readyInMs: 0, removeInMs: 3_600_000 });
      const { id, outs } = await clock.run(impl.create(inputs(), ctx()));
      const controller = new AbortController();
      const removing = impl.delete(id, outs, ctx({ signal: controller.signal }));
      await clock.advance(3_000);
      controller.abort();
      await assert.rejects(
        removing,
        new RegExp(
          `^Error: Thing bolt: stopped waiting for thing ${id} in us-test-1 to be gone after 3\\.0s \\(cancelled; last seen DELETING\\)\\. It stays in the stack; run \`pulumi destroy\` again to keep waiting\\.$`,
        ),
      );
    });
  });

  describe("a resource that is done when its call returns", () => {
    const SYNC: ResourceSpec = {
      type: "Note",
      parameters: ["text"],
      options: {},
      outputs: ["length"],
    };
    const noted: string[] = [];
    // No acceptor, no state, no failure, no merge, no remove: none is needed.
    const impl = resourceProvider<{ length: number }>(SYNC, {
      noun: "note",
      label: (p) => `Note ${p.text}`,
      check: () => [],
      async start(_call, inputs, base) {
        noted.push(inputs.text);
        return { id: `note-${inputs.text}`, outs: { ...base, length: inputs.text.length } };
      },
      describe: async (_call, id) =>
        noted.includes(id.slice(5)) ? { length: id.length - 5 } : undefined,
    });

    it("creates without a wait, and delete only forgets it; refresh drops what is gone", async () => {
      const ctx: CallContext = { clients: fakeClients([]), log: () => undefined };
      const { id, outs } = await impl.create({ text: "hi" }, ctx);
      assert.deepStrictEqual([id, outs.length], ["note-hi", 2]);
      await impl.delete(id, outs, ctx);
      assert.deepStrictEqual((await impl.read(id, outs, ctx)).id, id, "forgotten, not deleted");
      assert.deepStrictEqual(await impl.read("note-other", outs, ctx), {});
    });

    it("from the dynamic door (no ctx) logs with console.log and takes its region from the stack's clients", async () => {
      const { value, lines } = await logged(() =>
        impl.read("note-gone", { text: "gone", region: "eu-west-1" }),
      );
      assert.deepStrictEqual(value, {});
      assert.deepStrictEqual(lines, [
        "Note gone: note note-gone no longer exists in eu-west-1; removing it from the stack",
      ]);
    });
  });
});

describe("resourceProvider: settings set on the live object (converge, a `names` option)", () => {
  const spec: ResourceSpec = { ...SPEC, options: { ...SPEC.options, pins: "names" } };
  function convergeSetup(becomes = "READY") {
    const clock = steppingClock(1_000_000);
    const world = new World(clock);
    const impl = resourceProvider(
      spec,
      {
        ...hooksFor(world, { becomes }),
        async converge(_call, id, outs) {
          world.calls.push(`converge ${id} ${outs.pins ?? "-"}`);
          return { ...outs, pinned: outs.pins };
        },
      },
      { clock },
    );
    const ctx: CallContext = { log: () => {}, clients: fakeClients([]) };
    return { world, impl, ctx };
  }
  const given = (pins?: string[]) => ({ __provider: "p", name: "bolt", pins });

  it("converges after the wait of create, and only once the object is done", async () => {
    const { world, impl, ctx } = convergeSetup();
    const { id, outs } = await impl.create(given(["a"]), ctx);
    assert.deepStrictEqual(outs.pinned, ["a"]);
    assert.strictEqual(world.calls.at(-1), `converge ${id} a`);
    assert.ok(world.calls.indexOf(`converge ${id} a`) > world.calls.lastIndexOf(`describe ${id}`));

    const failed = convergeSetup("BENT");
    await recorded(failed.impl.create(given(["a"]), failed.ctx));
    assert.ok(!failed.world.calls.some((c) => c.startsWith("converge")), "a failed object is not");
  });

  it("converges on update with the new values, never on refresh", async () => {
    const { world, impl, ctx } = convergeSetup();
    const { id, outs } = await impl.create(given(["a"]), ctx);
    const updated = await impl.update(id, outs, given(["b", "c"]), ctx);
    assert.deepStrictEqual(updated.outs.pinned, ["b", "c"]);
    assert.strictEqual(world.calls.at(-1), `converge ${id} b,c`);
    const before = world.calls.length;
    await impl.read(id, updated.outs, ctx);
    assert.ok(!world.calls.slice(before).some((c) => c.startsWith("converge")));
    const preview = await impl.update(id, outs, given(["d"]), { ...ctx, preview: true });
    assert.deepStrictEqual(preview.outs.pins, ["d"]);
    assert.ok(!world.calls.slice(before).some((c) => c.startsWith("converge")), "nor in preview");
  });

  it("diffs a `names` option as a set, in place", async () => {
    const { impl, ctx } = convergeSetup();
    const olds = { ...given(["a", "b"]), thingId: "thing-1", status: "READY" };
    assert.strictEqual((await impl.diff("thing-1", olds, given(["b", "a"]), ctx)).changes, false);
    const changed = await impl.diff("thing-1", olds, given(["a"]), ctx);
    assert.deepStrictEqual([changed.replaces, changed.updates], [[], ["pins"]]);
  });
});
