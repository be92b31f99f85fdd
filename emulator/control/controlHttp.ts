// The `/_emulator/` HTTP surface (admitted by admission.ts first): the JSON body is parsed and
// the request goes to the endpoint of its area, `/_emulator/<area>/<id>/<rest…>`. Each concern
// declares its endpoints beside the controls they call; a new concern adds one line here.
import { applicationInstanceEndpoints } from "./applicationInstances";
import { ControlEndpoints, ControlError, ControlHttpResponse } from "./controlEndpoint";
import { deviceEndpoints } from "./devices";
import { deviceJobEndpoints } from "./deviceJobs";
import { EmulatorControl } from "./emulatorControl";
import { faultEndpoints } from "./faults";
import { healthEndpoints } from "./health";
import { importJobEndpoints } from "./importJobs";
import { packageVersionEndpoints } from "./packageVersions";
import { rateLimitEndpoints } from "./rateLimits";
import { requestCountEndpoints } from "./requestCounts";
import { resetEndpoints } from "./reset";
import { stateDumpEndpoints } from "./stateDump";
import { templateJobEndpoints } from "./templateJobs";
import { timingEndpoints } from "./timing";

export type { ControlHttpResponse };

const ENDPOINTS: ControlEndpoints<EmulatorControl> = {
  ...healthEndpoints,
  ...resetEndpoints,
  ...timingEndpoints,
  ...stateDumpEndpoints,
  ...requestCountEndpoints,
  ...faultEndpoints,
  ...rateLimitEndpoints,
  ...importJobEndpoints,
  ...templateJobEndpoints,
  ...applicationInstanceEndpoints,
  ...packageVersionEndpoints,
  ...deviceEndpoints,
  ...deviceJobEndpoints,
};

/** Answers a `/_emulator/...` request; `segments` are the decoded path segments after it. */
export function handleControlHttp(
  control: EmulatorControl,
  method: string,
  segments: string[],
  body: Buffer,
): ControlHttpResponse {
  let input: any = {};
  if (body.length) {
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return { status: 400, body: { error: "The control request body must be JSON." } };
    }
  }
  const [area, id, ...rest] = segments;
  try {
    // Only the table's own areas: `constructor` or `__proto__` is just an unknown one.
    const endpoint =
      area !== undefined && Object.hasOwn(ENDPOINTS, area) ? ENDPOINTS[area] : undefined;
    const reply = endpoint?.(control, { method, id, rest, input });
    return (
      reply ?? {
        status: 404,
        body: { error: `No control endpoint ${method} /_emulator/${segments.join("/")}.` },
      }
    );
  } catch (e) {
    if (e instanceof ControlError) return { status: e.status, body: { error: e.message } };
    throw e;
  }
}
