// The whole state, read and written directly: `GET /_emulator/state` (S3 bodies shown by size and
// ETag only), and in process an S3 object written straight into the state, bypassing HTTP.
import { settleDueTransitions } from "../panorama/dueTransitions";
import { ensureBucket, putObject } from "../s3/store";
import { Runtime } from "../state/runtime";
import { ControlContext } from "./controlContext";
import { ControlEndpoints, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function stateDumpControls(
  ctx: ControlContext,
): Pick<EmulatorControl, "state" | "putObject"> {
  const { rt } = ctx;
  return {
    state() {
      settleDueTransitions(rt);
      return dumpState(rt);
    },
    putObject(bucket: string, key: string, body: string | Buffer, contentType?: string) {
      ensureBucket(rt.state, bucket, rt.clock.now());
      putObject(rt, bucket, key, {
        data: Buffer.isBuffer(body) ? body : Buffer.from(body),
        contentType,
      });
      rt.dirty = true;
      ctx.changed();
    },
  };
}

export const stateDumpEndpoints: ControlEndpoints<EmulatorControl> = {
  state: (c, req) => (req.method === "GET" && !req.id ? ok(c.state()) : undefined),
};

function dumpState(rt: Runtime): Record<string, unknown> {
  const { state } = rt;
  return {
    accountId: rt.options.accountId,
    region: rt.options.region,
    now: rt.clock.now(),
    clockOffsetMs: rt.clock.offsetMs(),
    timing: rt.timing,
    ...state,
    buckets: Object.fromEntries(
      Object.entries(state.buckets).map(([name, b]) => [
        name,
        {
          createdAt: b.createdAt,
          objects: Object.fromEntries(
            Object.entries(b.objects).map(([key, o]) => [
              key,
              {
                size: o.size,
                sha256: o.sha256,
                etag: o.etag,
                contentType: o.contentType,
                lastModified: o.lastModified,
              },
            ]),
          ),
        },
      ]),
    ),
  };
}
