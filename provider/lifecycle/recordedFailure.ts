// A failure after the remote object exists. Pulumi's dynamic provider host turns an error that
// carries `id` into ErrorResourceInitFailed, so the engine records the object (with these
// properties as its outputs) instead of orphaning it. The engine shows `reasons`, not `message`.

export class RecordedFailure extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: Record<string, unknown>, reason: string) {
    super(reason);
    this.name = "RecordedFailure";
    this.id = id;
    // protobuf Struct conversion rejects `undefined`; the outputs must be plain JSON anyway.
    this.properties = JSON.parse(JSON.stringify(properties));
    this.reasons = [reason];
  }
}
