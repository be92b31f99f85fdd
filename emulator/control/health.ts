// `GET /_emulator/health`: whether the emulator answers, for scripts that wait for it to start,
// and what it is: its version and the operations each service serves (as LocalStack's health
// endpoint lists its services).
import { HANDLERS } from "../panorama/handlers";
import { S3_OPERATIONS } from "../s3/routing";
import { packageVersion } from "../version";
import { ControlEndpoints, ok } from "./controlEndpoint";

/** The answer: `ok`, the version, and per service its operations and how many. */
export function healthReport() {
  const services = {
    panorama: Object.keys(HANDLERS).sort(),
    s3: [...S3_OPERATIONS].sort(),
  };
  return {
    ok: true,
    version: packageVersion(),
    services: Object.fromEntries(
      Object.entries(services).map(([name, operations]) => [
        name,
        { operations, operationCount: operations.length },
      ]),
    ),
  };
}

export const healthEndpoints: ControlEndpoints<unknown> = {
  health: (_c, req) => (req.method === "GET" && !req.id ? ok(healthReport()) : undefined),
};
