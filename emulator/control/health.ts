// `GET /_emulator/health`: whether the emulator answers, for scripts that wait for it to start.
import { ControlEndpoints, ok } from "./controlEndpoint";

export const healthEndpoints: ControlEndpoints<unknown> = {
  health: (_c, req) => (req.method === "GET" && !req.id ? ok({ ok: true }) : undefined),
};
