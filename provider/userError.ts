// What the program asked for cannot be done: Pulumi prints a RunError's message alone, once, with
// no stack trace into the package's compiled files. The provider process treats it as any Error.
// It marks itself the way @pulumi/pulumi recognises a RunError across copies of the SDK, so the
// plain builders (manifests) still load without Pulumi.

/** An error in the program's arguments or the stack's config, stated in one sentence. */
export class UsageError extends Error {
  /** What `pulumi.RunError.isInstance` looks for. */
  readonly __pulumiRunError = true;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
    // An error that reaches Pulumi after the program's body returned (a lookup not awaited, an
    // input that fails to resolve) is printed as its `stack`: let that be the sentence alone.
    Object.defineProperty(this, "stack", { get: () => this.message, configurable: true });
  }
}
