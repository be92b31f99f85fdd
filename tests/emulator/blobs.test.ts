// Without a state file S3 bodies live in memory; overwritten and deleted ones must not pile up.
import * as assert from "assert";
import { MemoryBlobStore } from "../../emulator/state/blobs";

describe("emulator: S3 bodies in memory stay bounded", () => {
  it("overwritten bodies are dropped once they outweigh the live ones", () => {
    let live = new Set<string>();
    const store = new MemoryBlobStore(() => live);
    const MiB = 1024 * 1024;
    for (let i = 0; i < 64; i++) {
      // One key overwritten 64 times with a different 1 MiB body: only the latest is live.
      const name = store.put(Buffer.alloc(MiB, i));
      live = new Set([name]);
      assert.ok(
        store.storedBytes <= 2 * MiB + 8 * MiB + MiB,
        `holds ${store.storedBytes / MiB} MiB after ${i + 1} writes`,
      );
    }
    assert.strictEqual(store.get([...live][0]).length, MiB);
  });
});
